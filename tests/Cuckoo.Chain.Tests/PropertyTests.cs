using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.Signer;

namespace Cuckoo.Chain.Tests;

public sealed class PropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(100);

    private static Arbitrary<byte[]> Bytes(int length) =>
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length).ToArbitrary();

    // One key in three starts with a zero byte: Nethereum's own signers fail on those (see EthKey.Sign).
    private static Arbitrary<byte[]> Keys => Gen.OneOf(
        Bytes(32).Generator,
        Bytes(32).Generator.Select(k => { k[0] = 0; return k; })).Where(k => k.Any(b => b != 0) && k[0] < 0xff).ToArbitrary();

    [Fact]
    public void Sign_then_recover_yields_the_signer()
    {
        Check.One(Quick, Prop.ForAll(Keys, Bytes(32), (keyBytes, hash) =>
        {
            var key = EthKey.FromPrivateKey(keyBytes);
            var signature = key.Sign(hash);
            return signature.IsLowS
                && signature.RecoverAddress(hash) == key.Address
                && EthSignature.Parse(signature.ToHex()) == signature
                && key.Sign(hash) == signature;
        }));
    }

    [Fact]
    public void Personal_messages_sign_then_recover_for_any_text()
    {
        Check.One(Quick, Prop.ForAll(Keys, ArbMap.Default.ArbFor<string>(), (keyBytes, text) =>
        {
            var key = EthKey.FromPrivateKey(keyBytes);
            var message = text ?? "";
            var signature = PersonalMessage.Sign(key, message);
            return PersonalMessage.RecoverAddress(message, signature.ToHex()) == key.Address
                && PersonalMessage.Verify(message, signature.ToHex(), key.Address);
        }));
    }

    [Fact]
    public void Key_files_round_trip_for_any_key_and_password()
    {
        // scrypt makes each case cost milliseconds even at n = 1024: fewer cases.
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25), Prop.ForAll(Keys, ArbMap.Default.ArbFor<string>(), (keyBytes, text) =>
        {
            var key = EthKey.FromPrivateKey(keyBytes);
            var password = (text ?? "").Replace("\0", "", StringComparison.Ordinal);
            var json = KeyStore.Encrypt(key, password, ScryptParameters.Light);
            return KeyStore.ReadAddress(json) == key.Address && KeyStore.Decrypt(json, password).PrivateKeyHex == key.PrivateKeyHex;
        }));
    }

    [Fact]
    public void Signed_transactions_decode_to_their_sender()
    {
        Check.One(Quick, Prop.ForAll(Keys, ArbMap.Default.ArbFor<int>(), (keyBytes, seed) =>
        {
            var key = EthKey.FromPrivateKey(keyBytes);
            var random = new Random(seed);
            var data = new byte[random.Next(64)];
            random.NextBytes(data);
            var to = new byte[20];
            random.NextBytes(to);
            var raw = random.Next(2) == 0
                ? TransactionSigning.Sign1559(key, 1 + random.Next(), random.Next(), 1, random.NextInt64(1, long.MaxValue), random.Next(21000, int.MaxValue),
                    Address.FromBytes(to), new BigInteger(random.NextInt64()), data)
                : TransactionSigning.SignLegacy(key, 1 + random.Next(), random.Next(), random.NextInt64(1, long.MaxValue), random.Next(21000, int.MaxValue),
                    Address.FromBytes(to), new BigInteger(random.NextInt64()), data);
            var decoded = TransactionFactory.CreateTransaction(raw);
            return Address.Parse(decoded.GetSenderAddress()) == key.Address;
        }));
    }
}
