using BenchmarkDotNet.Attributes;
using Nethereum.Signer;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Cuckoo.Chain.Benchmarks;

/// <summary>
/// Public-key recovery (what checking a join or a result signature costs) through Nethereum, on its NBitcoin.Secp256k1
/// path (what Cuckoo.Chain uses) and on its BouncyCastle path, against BouncyCastle's own ECDSA verify with the public
/// key already known, the least work any signature check can do; signing is shown for scale.
/// </summary>
[Config(typeof(ShortConfig))]
public class SignatureBenchmarks
{
    private const int Count = 64;
    private readonly byte[][] _hashes = new byte[Count][];
    private readonly EthSignature[] _signatures = new EthSignature[Count];
    private readonly EthECDSASignature[] _nethereum = new EthECDSASignature[Count];
    private readonly EthKey _key = EthKey.FromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private ECDsaSigner _verifier = null!;
    private BcBigInteger[] _r = null!;
    private BcBigInteger[] _s = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var curve = CustomNamedCurves.GetByName("secp256k1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        _verifier = new ECDsaSigner();
        _verifier.Init(false, new ECPublicKeyParameters(curve.Curve.DecodePoint(_key.PublicKey), domain));
        _r = new BcBigInteger[Count];
        _s = new BcBigInteger[Count];
        for (var i = 0; i < Count; i++)
        {
            _hashes[i] = new byte[32];
            random.NextBytes(_hashes[i]);
            _signatures[i] = _key.Sign(_hashes[i]);
            _nethereum[i] = _signatures[i].ToNethereum();
            _r[i] = new BcBigInteger(1, _signatures[i].RBytes());
            _s[i] = new BcBigInteger(1, _signatures[i].SBytes());
        }
    }

    private int Next() => _next = (_next + 1) % Count;

    [Benchmark(Baseline = true, Description = "BouncyCastle ECDSA verify (known public key)")]
    public bool BouncyCastleVerify()
    {
        var i = Next();
        return _verifier.VerifySignature(_hashes[i], _r[i], _s[i]);
    }

    [Benchmark(Description = "EthSignature.RecoverAddress (Nethereum, NBitcoin.Secp256k1)")]
    public Address Recover()
    {
        var i = Next();
        return _signatures[i].RecoverAddress(_hashes[i]);
    }

    [Benchmark(Description = "EthECKey.RecoverFromSignature (Nethereum, BouncyCastle)")]
    public string RecoverBouncyCastle()
    {
        var i = Next();
        // Nethereum's default path; Cuckoo.Chain switches the process to NBitcoin, so switch back for this call only.
        EthECKey.SignRecoverable = false;
        try
        {
            return EthECKey.RecoverFromSignature(_nethereum[i], _hashes[i]).GetPublicAddress();
        }
        finally
        {
            EthECKey.SignRecoverable = true;
        }
    }

    [Benchmark(Description = "EthKey.Sign (RFC 6979, NBitcoin.Secp256k1)")]
    public EthSignature Sign() => _key.Sign(_hashes[Next()]);
}
