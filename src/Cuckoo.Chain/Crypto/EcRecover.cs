using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>Public-key recovery from a hash and a signature (what the EVM's <c>ecrecover</c> does).</summary>
public static class EcRecover
{
    /// <summary>The 65-byte public key 04‖x‖y that produced <paramref name="signature"/> over <paramref name="hash"/>.</summary>
    /// <exception cref="ArgumentException">the hash is not 32 bytes.</exception>
    /// <exception cref="FormatException">no curve point has x = r (the signature is invalid).</exception>
    public static byte[] RecoverPublicKey(ReadOnlySpan<byte> hash, EthSignature signature)
    {
        var q = Recover(hash, signature);
        var result = new byte[65];
        result[0] = 0x04;
        q.WriteXY(result.AsSpan(1));
        return result;
    }

    public static Address RecoverAddress(ReadOnlySpan<byte> hash, EthSignature signature)
    {
        var q = Recover(hash, signature);
        Span<byte> xy = stackalloc byte[64];
        q.WriteXY(xy);
        return Address.FromPublicKey(xy);
    }

    /// <summary>True when <paramref name="signature"/> over <paramref name="hash"/> recovers to <paramref name="expected"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash, EthSignature signature, Address expected)
    {
        try
        {
            return RecoverAddress(hash, signature) == expected;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static AffinePoint Recover(ReadOnlySpan<byte> hash, EthSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (hash.Length != 32)
        {
            throw new ArgumentException($"Recover from a 32-byte hash, not {hash.Length} bytes.", nameof(hash));
        }
        var n = Secp256k1.NNet;
        var e = new BigInteger(hash, isUnsigned: true, isBigEndian: true);
        if (e >= n)
        {
            e -= n;
        }

        // R is the point with x = r and the y parity of the recovery id.
        Span<byte> rBytes = stackalloc byte[32];
        Hex.WriteFixed(signature.R, rBytes);
        if (!CurveMath.TryDecompress(rBytes, signature.RecoveryId == 1, out var rPoint))
        {
            throw new FormatException("Invalid signature: r is not the x coordinate of a curve point.");
        }

        // Q = r⁻¹(sR − eG) = (−e·r⁻¹)G + (s·r⁻¹)R
        var rInverse = ScalarN.Invert(signature.R);
        var u1 = (n - e) * rInverse % n;
        var u2 = signature.S * rInverse % n;
        var q = CurveMath.MultiplyAdd(u1, rPoint, u2);
        if (q.IsInfinity)
        {
            throw new FormatException("Invalid signature: it recovers to the point at infinity.");
        }
        return q.ToAffine();
    }
}
