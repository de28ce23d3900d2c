using System.Numerics;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Cuckoo.Chain;

/// <summary>A secp256k1 private key with its public key and address.</summary>
public sealed class EthKey
{
    private readonly byte[] _privateKey;
    private readonly BcBigInteger _d;
    private readonly BigInteger _dNet;

    private EthKey(byte[] privateKey)
    {
        _privateKey = privateKey;
        _d = new BcBigInteger(1, privateKey);
        if (_d.SignValue <= 0 || _d.CompareTo(Secp256k1.N) >= 0)
        {
            throw new ArgumentException("A private key must be in [1, n-1].", nameof(privateKey));
        }
        _dNet = new BigInteger(privateKey, isUnsigned: true, isBigEndian: true);
        PublicKey = new byte[65];
        PublicKey[0] = 0x04;
        CurveMath.MultiplyG(_dNet).ToAffine().WriteXY(PublicKey.AsSpan(1));
        Address = Address.FromPublicKey(PublicKey);
    }

    /// <summary>65 bytes 04‖x‖y (uncompressed), as ethers' <c>SigningKey.publicKey</c>.</summary>
    public byte[] PublicKey { get; }

    public Address Address { get; }

    /// <summary>A copy of the 32-byte private key.</summary>
    public byte[] PrivateKey => (byte[])_privateKey.Clone();

    public string PrivateKeyHex => Hex.Encode(_privateKey);

    /// <summary>A fresh key from the operating system's random number generator.</summary>
    public static EthKey Generate()
    {
        while (true)
        {
            var bytes = RandomNumberGenerator.GetBytes(32);
            var d = new BcBigInteger(1, bytes);
            if (d.SignValue > 0 && d.CompareTo(Secp256k1.N) < 0)
            {
                return new EthKey(bytes);
            }
        }
    }

    /// <exception cref="ArgumentException">not 32 bytes, zero, or not below the curve order.</exception>
    public static EthKey FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException($"A private key is 32 bytes, not {privateKey.Length}.", nameof(privateKey));
        }
        return new EthKey(privateKey.ToArray());
    }

    /// <exception cref="FormatException">not 32 bytes of hex.</exception>
    /// <exception cref="ArgumentException">zero or not below the curve order.</exception>
    public static EthKey FromHex(string privateKeyHex)
    {
        var bytes = Hex.Decode(privateKeyHex);
        if (bytes.Length != 32)
        {
            throw new FormatException($"A private key is 32 bytes (64 hex digits), not {bytes.Length}.");
        }
        return new EthKey(bytes);
    }

    /// <summary>
    /// Signs a 32-byte hash with an RFC 6979 deterministic nonce (HMAC-SHA256), normalized to low S, with the recovery id.
    /// </summary>
    public EthSignature Sign(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException($"Sign a 32-byte hash, not {hash.Length} bytes.", nameof(hash));
        }
        var message = hash.ToArray();
        var n = Secp256k1.NNet;
        var e = new BigInteger(message, isUnsigned: true, isBigEndian: true) % n;
        var kCalculator = new HMacDsaKCalculator(new Sha256Digest());
        kCalculator.Init(Secp256k1.N, _d, message);
        Span<byte> xBytes = stackalloc byte[32];
        while (true)
        {
            var k = Secp256k1.ToNet(kCalculator.NextK());
            var point = CurveMath.MultiplyG(k).ToAffine();
            point.X.WriteBytes(xBytes);
            var x = new BigInteger(xBytes, isUnsigned: true, isBigEndian: true);
            // x ≥ n happens with probability ~2^-128; such a signature would need recovery ids 2/3, which v cannot carry.
            if (x >= n)
            {
                continue;
            }
            var r = x;
            if (r.IsZero)
            {
                continue;
            }
            var s = ScalarN.Invert(k) * (e + (r * _dNet)) % n;
            if (s.IsZero)
            {
                continue;
            }
            var recoveryId = point.Y.IsOdd ? 1 : 0;
            if (s > Secp256k1.HalfNNet)
            {
                s = n - s;
                recoveryId ^= 1;
            }
            return new EthSignature(r, s, recoveryId);
        }
    }

    /// <summary>Signs an EIP-191 personal message (what wallets call <c>personal_sign</c> / ethers' <c>signMessage</c>).</summary>
    public EthSignature SignMessage(string message) => Sign(PersonalMessage.Hash(message));

    public EthSignature SignMessage(ReadOnlySpan<byte> message) => Sign(PersonalMessage.Hash(message));

    public override string ToString() => $"EthKey({Address})";
}
