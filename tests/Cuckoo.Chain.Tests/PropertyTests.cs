using FsCheck;
using FsCheck.Fluent;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class PropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(100);

    private static Arbitrary<byte[]> Bytes(int length) =>
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length).ToArbitrary();

    [Fact]
    public void Sign_then_recover_yields_the_signer()
    {
        var keys = Bytes(32).Generator.Where(k => k.Any(b => b != 0) && k[0] < 0xff).ToArbitrary();
        Check.One(Quick, Prop.ForAll(keys, Bytes(32), (keyBytes, hash) =>
        {
            var key = EthKey.FromPrivateKey(keyBytes);
            var signature = key.Sign(hash);
            return signature.IsLowS
                && EcRecover.RecoverAddress(hash, signature) == key.Address
                && EthSignature.Parse(signature.ToHex()) == signature
                && key.Sign(hash) == signature;
        }));
    }

    [Fact]
    public void Rlp_encode_then_decode_round_trips()
    {
        var leaf = ArbMap.Default.GeneratorFor<byte[]>().Select(RlpItem.FromBytes);
        var tree = Gen.Sized(size => TreeOf(leaf, Math.Min(size, 4)));
        Check.One(Quick, Prop.ForAll(tree.ToArbitrary(), item =>
        {
            var encoded = Rlp.Encode(item);
            return Rlp.Encode(Rlp.Decode(encoded)).AsSpan().SequenceEqual(encoded);
        }));
    }

    private static Gen<RlpItem> TreeOf(Gen<RlpItem> leaf, int depth) =>
        depth == 0 ? leaf : Gen.OneOf(leaf, Gen.ListOf(TreeOf(leaf, depth - 1)).Select(items => RlpItem.FromList(items.ToArray())));

    [Fact]
    public void Abi_encode_then_decode_round_trips_for_random_types()
    {
        var seeds = ArbMap.Default.ArbFor<int>();
        Check.One(Quick, Prop.ForAll(seeds, seed =>
        {
            var samples = new AbiSamples(seed);
            var types = Enumerable.Range(0, 1 + samples.Random.Next(4)).Select(_ => samples.Type()).ToArray();
            var values = types.Select(t => samples.Value(t)).ToArray();
            var decoded = Abi.Decode(types, Abi.Encode(types, values));
            return AbiSamples.ToJson(values)!.ToJsonString() == AbiSamples.ToJson(decoded)!.ToJsonString();
        }));
    }

    [Fact]
    public void Signed_transactions_decode_to_themselves()
    {
        Check.One(Quick, Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var samples = new AbiSamples(seed);
            var key = EthKey.Generate();
            var tx = new Eip1559Transaction
            {
                ChainId = 1 + samples.Random.Next(), Nonce = samples.Random.Next(), MaxFeePerGas = samples.Random.NextInt64(1, long.MaxValue),
                GasLimit = samples.Random.Next(), To = Address.FromBytes(samples.Bytes(20)), Data = samples.Bytes(samples.Random.Next(64)),
            };
            var signed = tx.Sign(key);
            var decoded = TransactionDecoder.Decode(signed.Raw);
            return decoded.From == key.Address && decoded.HashHex == signed.HashHex && decoded.Transaction.SigningHash().AsSpan().SequenceEqual(tx.SigningHash());
        }));
    }
}
