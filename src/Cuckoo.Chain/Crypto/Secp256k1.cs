using System.Numerics;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Cuckoo.Chain;

/// <summary>The secp256k1 curve, shared by signing and recovery.</summary>
internal static class Secp256k1
{
    // The custom curve has the fast field arithmetic and the GLV endomorphism; the generic one is several times slower.
    internal static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    internal static readonly ECCurve Curve = Parameters.Curve;
    internal static readonly ECPoint G = Parameters.G;
    internal static readonly BcBigInteger N = Parameters.N;
    internal static readonly BcBigInteger HalfN = N.ShiftRight(1);
    internal static readonly BigInteger NNet = ToNet(N);
    internal static readonly BigInteger HalfNNet = NNet >> 1;

    // The comb multiplier precomputes a table for G once (cached on the point) and is the fastest for k·G.
    internal static readonly FixedPointCombMultiplier BaseMultiplier = new();

    internal static BcBigInteger ToBc(BigInteger value) => new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));

    internal static BcBigInteger ToBc(ReadOnlySpan<byte> bigEndian) => new(1, bigEndian.ToArray());

    internal static BigInteger ToNet(BcBigInteger value) =>
        new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    /// <summary>64 bytes x‖y of a normalized point.</summary>
    internal static void WriteXY(ECPoint point, Span<byte> destination)
    {
        var p = point.Normalize();
        WriteFixed(p.AffineXCoord.ToBigInteger(), destination[..32]);
        WriteFixed(p.AffineYCoord.ToBigInteger(), destination[32..64]);
    }

    internal static void WriteFixed(BcBigInteger value, Span<byte> destination)
    {
        var bytes = value.ToByteArrayUnsigned();
        destination.Clear();
        bytes.CopyTo(destination[(destination.Length - bytes.Length)..]);
    }

    internal static ECPoint MultiplyBase(BcBigInteger k) => BaseMultiplier.Multiply(G, k).Normalize();
}
