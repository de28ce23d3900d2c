using System.Numerics;
using Nethereum.Signer;

namespace Cuckoo.Chain;

/// <summary>
/// An ECDSA signature over secp256k1 with its recovery id, as Ethereum carries it: 65 bytes r‖s‖v with v = 27 + recovery id.
/// A value type of ours; signing and recovery are Nethereum's (<see cref="EthECKey"/>, <see cref="EthECDSASignature"/>).
/// </summary>
public sealed record EthSignature
{
    public EthSignature(BigInteger r, BigInteger s, int recoveryId)
    {
        if (r.Sign <= 0 || r >= Secp256k1Backend.N)
        {
            throw new ArgumentOutOfRangeException(nameof(r), "Signature r must be in [1, n-1].");
        }
        if (s.Sign <= 0 || s >= Secp256k1Backend.N)
        {
            throw new ArgumentOutOfRangeException(nameof(s), "Signature s must be in [1, n-1].");
        }
        if (recoveryId is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(recoveryId), recoveryId, "The recovery id must be 0 or 1.");
        }
        R = r;
        S = s;
        RecoveryId = recoveryId;
    }

    public BigInteger R { get; }

    public BigInteger S { get; }

    /// <summary>The parity of the y coordinate of the nonce point: 0 or 1.</summary>
    public int RecoveryId { get; }

    /// <summary>27 or 28, the v of personal and typed-data signatures.</summary>
    public byte V => (byte)(27 + RecoveryId);

    /// <summary>True when s is in the lower half of the curve order, as EIP-2 requires of transactions.</summary>
    public bool IsLowS => S <= Secp256k1Backend.HalfN;

    /// <summary>65 bytes r‖s‖v, v being 27 or 28.</summary>
    public byte[] ToBytes() => [.. RBytes(), .. SBytes(), V];

    public byte[] RBytes() => R.ToByteArray(isUnsigned: true, isBigEndian: true).PadTo32();

    public byte[] SBytes() => S.ToByteArray(isUnsigned: true, isBigEndian: true).PadTo32();

    /// <summary>The Nethereum form, with v = 27 or 28.</summary>
    public EthECDSASignature ToNethereum() => EthECDSASignatureFactory.FromComponents(RBytes(), SBytes(), V);

    /// <summary>From a Nethereum signature whose v is 0, 1, 27 or 28.</summary>
    /// <exception cref="FormatException">another v (an EIP-155 v carries the chain id: use the transaction's signer).</exception>
    public static EthSignature FromNethereum(EthECDSASignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var v = signature.V is { Length: 1 } single ? single[0] : signature.V is { Length: 0 } ? (byte)0 : (byte)255;
        var bytes = new byte[65];
        signature.R.PadTo32().CopyTo(bytes, 0);
        signature.S.PadTo32().CopyTo(bytes, 32);
        bytes[64] = v;
        return FromBytes(bytes);
    }

    /// <summary>The signer's 65-byte public key 04‖x‖y (Nethereum's recovery). High-S signatures recover too, as with <c>ecrecover</c>.</summary>
    /// <exception cref="ArgumentException">the hash is not 32 bytes.</exception>
    /// <exception cref="FormatException">no public key recovers from this signature.</exception>
    public byte[] RecoverPublicKey(ReadOnlySpan<byte> hash32)
    {
        if (hash32.Length != 32)
        {
            throw new ArgumentException($"Recover from a 32-byte hash, not {hash32.Length} bytes.", nameof(hash32));
        }
        Secp256k1Backend.Use();
        try
        {
            var key = EthECKey.RecoverFromSignature(ToNethereum(), RecoveryId, hash32.ToArray());
            return key?.GetPubKey() ?? throw new FormatException("No public key recovers from this signature.");
        }
        catch (Exception ex) when (ex is NullReferenceException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException("No public key recovers from this signature.", ex);
        }
    }

    /// <summary>The signer's address.</summary>
    public Address RecoverAddress(ReadOnlySpan<byte> hash32) => Address.FromPublicKey(RecoverPublicKey(hash32));

    /// <summary>True when <paramref name="expected"/> signed <paramref name="hash32"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> hash32, Address expected)
    {
        try
        {
            return RecoverAddress(hash32) == expected;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>0x-prefixed hex of the 65 bytes r‖s‖v.</summary>
    public string ToHex() => Hex.Encode(ToBytes());

    public override string ToString() => ToHex();

    /// <summary>Reads 65 bytes r‖s‖v; v may be 0, 1, 27 or 28.</summary>
    /// <exception cref="FormatException">wrong length, bad v, or r/s out of range.</exception>
    public static EthSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 65)
        {
            throw new FormatException($"A signature is 65 bytes (r, s, v), not {bytes.Length}.");
        }
        int recoveryId = bytes[64] switch
        {
            0 or 27 => 0,
            1 or 28 => 1,
            _ => throw new FormatException($"Signature v must be 0, 1, 27 or 28, not {bytes[64]}."),
        };
        var r = new BigInteger(bytes[..32], isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(bytes[32..64], isUnsigned: true, isBigEndian: true);
        if (r.IsZero || r >= Secp256k1Backend.N || s.IsZero || s >= Secp256k1Backend.N)
        {
            throw new FormatException("Signature r and s must be in [1, n-1].");
        }
        return new EthSignature(r, s, recoveryId);
    }

    /// <summary>Parses the 0x-prefixed (or bare) hex of 65 bytes r‖s‖v.</summary>
    /// <exception cref="FormatException">not hex, wrong length, bad v, or r/s out of range.</exception>
    public static EthSignature Parse(string hex) => FromBytes(Hex.Decode(hex));

    public static bool TryParse(string? hex, out EthSignature? signature)
    {
        signature = null;
        if (!Hex.TryDecode(hex, out var bytes))
        {
            return false;
        }
        try
        {
            signature = FromBytes(bytes);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
