using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>
/// An ECDSA signature over secp256k1 with its recovery id, as Ethereum carries it: 65 bytes r‖s‖v with v = 27 + recovery id.
/// </summary>
public sealed record EthSignature
{
    public EthSignature(BigInteger r, BigInteger s, int recoveryId)
    {
        if (r.Sign <= 0 || r >= Secp256k1.NNet)
        {
            throw new ArgumentOutOfRangeException(nameof(r), "Signature r must be in [1, n-1].");
        }
        if (s.Sign <= 0 || s >= Secp256k1.NNet)
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
    public bool IsLowS => S <= Secp256k1.HalfNNet;

    /// <summary>65 bytes r‖s‖v, v being 27 or 28.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[65];
        Hex.WriteFixed(R, bytes.AsSpan(0, 32));
        Hex.WriteFixed(S, bytes.AsSpan(32, 32));
        bytes[64] = V;
        return bytes;
    }

    public byte[] RBytes() => Hex.ToFixedBytes(R, 32);

    public byte[] SBytes() => Hex.ToFixedBytes(S, 32);

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
        if (r.IsZero || r >= Secp256k1.NNet || s.IsZero || s >= Secp256k1.NNet)
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
