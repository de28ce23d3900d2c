using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;

namespace Cuckoo.Chain;

/// <summary>
/// A secp256k1 private key with its public key and address: a thin owner of Nethereum's <see cref="EthECKey"/>.
/// Signing is RFC 6979 deterministic and low-S, done by NBitcoin.Secp256k1 (constant time) through Nethereum.
/// </summary>
public sealed class EthKey
{
    static EthKey() => Secp256k1Backend.Use();

    private readonly byte[] _privateKey;

    private EthKey(byte[] privateKey)
    {
        if (!Secp256k1Backend.IsValidPrivateKey(privateKey))
        {
            throw new ArgumentException("A private key must be in [1, n-1].", nameof(privateKey));
        }
        _privateKey = privateKey;
        Nethereum = new EthECKey(privateKey, isPrivate: true);
        PublicKey = Nethereum.GetPubKey();
        Address = Address.FromPublicKey(PublicKey);
    }

    /// <summary>The Nethereum key, for Nethereum APIs (accounts, signers) that take one.</summary>
    public EthECKey Nethereum { get; }

    /// <summary>65 bytes 04‖x‖y (uncompressed), as ethers' <c>SigningKey.publicKey</c>.</summary>
    public byte[] PublicKey { get; }

    public Address Address { get; }

    /// <summary>A copy of the 32-byte private key.</summary>
    public byte[] PrivateKey => (byte[])_privateKey.Clone();

    public string PrivateKeyHex => _privateKey.ToHex(prefix: true);

    /// <summary>A fresh key from the operating system's random number generator (Nethereum's key generator).</summary>
    public static EthKey Generate() => new(EthECKey.GenerateKey().GetPrivateKeyAsBytes().PadTo32());

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
        ArgumentNullException.ThrowIfNull(privateKeyHex);
        var bytes = Hex.Decode(privateKeyHex.Trim());
        if (bytes.Length != 32)
        {
            throw new FormatException($"A private key is 32 bytes (64 hex digits), not {bytes.Length}.");
        }
        return new EthKey(bytes);
    }

    /// <summary>Signs a 32-byte hash (RFC 6979, low S) with the recovery id.</summary>
    /// <remarks>
    /// NBitcoin.Secp256k1 signs, as Nethereum's <c>EthECKey.SignAndCalculateV</c> does with <c>SignRecoverable</c>, but
    /// given the 32-byte key: Nethereum passes the key's minimal big-endian bytes, which NBitcoin refuses for the one
    /// key in 256 whose first byte is zero ("b32 should be of length 32").
    /// </remarks>
    public EthSignature Sign(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException($"Sign a 32-byte hash, not {hash.Length} bytes.", nameof(hash));
        }
        using var secret = NBitcoin.Secp256k1.Context.Instance.CreateECPrivKey(_privateKey);
        if (!secret.TrySignRecoverable(hash, out var signature) || signature is null)
        {
            throw new InvalidOperationException("secp256k1 could not sign this hash.");
        }
        signature.Deconstruct(out var r, out var s, out var recoveryId);
        var bytes = new byte[65];
        r.WriteToSpan(bytes.AsSpan(0, 32));
        s.WriteToSpan(bytes.AsSpan(32, 32));
        bytes[64] = (byte)(27 + recoveryId);
        return EthSignature.FromBytes(bytes);
    }

    /// <summary>Signs an EIP-191 personal message (what wallets call <c>personal_sign</c> / ethers' <c>signMessage</c>).</summary>
    public EthSignature SignMessage(string message) => Sign(PersonalMessage.Hash(message));

    public EthSignature SignMessage(ReadOnlySpan<byte> message) => Sign(PersonalMessage.Hash(message));

    public override string ToString() => $"EthKey({Address})";
}

internal static class ByteArrayPadding
{
    /// <summary>Left-pads to 32 bytes (a key or scalar whose big-endian form lost leading zeros).</summary>
    public static byte[] PadTo32(this byte[] bytes)
    {
        if (bytes.Length >= 32)
        {
            return bytes.Length == 32 ? bytes : bytes[^32..];
        }
        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return padded;
    }
}
