using System.Buffers.Binary;
using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>
/// Scalar multiplication on secp256k1: a precomputed table of odd multiples of G (width-8 wNAF) and, for recovery,
/// u1·G + u2·R in one pass of doublings (Strauss–Shamir).
/// </summary>
internal static class CurveMath
{
    private const int GWindow = 8;
    private const int RWindow = 5;

    private static readonly FieldElement Seven = FieldElement.FromInt(7);

    public static readonly AffinePoint G = new(
        Fe("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
        Fe("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"));

    // Odd multiples 1G, 3G, …, (2^(w−1) − 1)G in affine form, built once.
    private static readonly AffinePoint[] GTable = BuildGTable();

    private static FieldElement Fe(string hex)
    {
        FieldElement.TryFromBytes(Convert.FromHexString(hex), out var fe);
        return fe;
    }

    private static AffinePoint[] BuildGTable()
    {
        var table = new AffinePoint[1 << (GWindow - 2)];
        var g = JacobianPoint.FromAffine(G);
        var twoG = g.Double().ToAffine();
        var current = g;
        for (var i = 0; i < table.Length; i++)
        {
            var affine = current.ToAffine();
            table[i] = affine;
            current = JacobianPoint.FromAffine(affine).AddAffine(twoG);
        }
        return table;
    }

    /// <summary>The point with this x and y parity; false when x is not on the curve.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> x32, bool odd, out AffinePoint point)
    {
        point = default;
        if (!FieldElement.TryFromBytes(x32, out var x))
        {
            return false;
        }
        var rhs = x.Square() * x + Seven;
        if (!rhs.TrySqrt(out var y))
        {
            return false;
        }
        y = y.Normalize();
        if (y.IsOdd != odd)
        {
            y = y.Negate().Normalize();
        }
        point = new AffinePoint(x, y);
        return true;
    }

    /// <summary>k·G.</summary>
    public static JacobianPoint MultiplyG(BigInteger k)
    {
        Span<sbyte> naf = stackalloc sbyte[258];
        var length = Wnaf(k, GWindow, naf);
        var acc = JacobianPoint.Infinity;
        for (var i = length - 1; i >= 0; i--)
        {
            acc = acc.Double();
            acc = AddDigit(acc, naf[i]);
        }
        return acc;
    }

    // The GLV endomorphism of secp256k1: λ·(x, y) = (β·x, y), which halves the doublings of a multiplication.
    internal static readonly BigInteger Lambda = Big("5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72");
    internal static readonly FieldElement Beta = Fe("7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501ee");

    // A short basis of the lattice {(a, b) : a + b·λ ≡ 0 mod n}: v1 = (A1, −B1), v2 = (A2, A1).
    private static readonly BigInteger A1 = Big("3086d221a7d46bcde86c90e49284eb15");
    private static readonly BigInteger B1 = Big("e4437ed6010e88286f547fa90abfe4c3");
    private static readonly BigInteger A2 = Big("114ca50f7a8e2f3f657c1108d9d44cfd8");
    private static readonly BigInteger HalfN = Secp256k1.NNet >> 1;

    private static readonly AffinePoint[] GLambdaTable = GTable.Select(p => new AffinePoint((p.X * Beta).Normalize(), p.Y)).ToArray();

    private static BigInteger Big(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Splits k into k1 + k2·λ ≡ k (mod n) with |k1|, |k2| around 2^128 (rounded Babai reduction).</summary>
    internal static (BigInteger K1, BigInteger K2) Split(BigInteger k)
    {
        var n = Secp256k1.NNet;
        var c1 = ((A1 * k) + HalfN) / n;
        var c2 = ((B1 * k) + HalfN) / n;
        var k1 = k - (c1 * A1) - (c2 * A2);
        var k2 = (c1 * B1) - (c2 * A1);
        return (k1, k2);
    }

    /// <summary>u1·G + u2·R, with both scalars split by the endomorphism: four half-length wNAF streams, one pass of doublings.</summary>
    public static JacobianPoint MultiplyAdd(BigInteger u1, AffinePoint r, BigInteger u2)
    {
        var (g1, g2) = Split(u1);
        var (r1, r2) = Split(u2);
        Span<sbyte> nafG1 = stackalloc sbyte[258];
        Span<sbyte> nafG2 = stackalloc sbyte[258];
        Span<sbyte> nafR1 = stackalloc sbyte[258];
        Span<sbyte> nafR2 = stackalloc sbyte[258];
        var length = Math.Max(
            Math.Max(Wnaf(BigInteger.Abs(g1), GWindow, nafG1), Wnaf(BigInteger.Abs(g2), GWindow, nafG2)),
            Math.Max(Wnaf(BigInteger.Abs(r1), RWindow, nafR1), Wnaf(BigInteger.Abs(r2), RWindow, nafR2)));
        bool negG1 = g1.Sign < 0, negG2 = g2.Sign < 0, negR1 = r1.Sign < 0, negR2 = r2.Sign < 0;

        // Odd multiples of R and of λR, 1R … 15R (Jacobian: converting them to affine would cost an inversion).
        Span<JacobianPoint> rTable = stackalloc JacobianPoint[1 << (RWindow - 2)];
        Span<JacobianPoint> rLambdaTable = stackalloc JacobianPoint[1 << (RWindow - 2)];
        var rj = JacobianPoint.FromAffine(r);
        var twoR = rj.Double();
        rTable[0] = rj;
        for (var i = 1; i < rTable.Length; i++)
        {
            rTable[i] = rTable[i - 1].Add(twoR);
        }
        for (var i = 0; i < rTable.Length; i++)
        {
            rLambdaTable[i] = new JacobianPoint(rTable[i].X * Beta, rTable[i].Y, rTable[i].Z);
        }

        var acc = JacobianPoint.Infinity;
        for (var i = length - 1; i >= 0; i--)
        {
            acc = acc.Double();
            acc = AddAffineDigit(acc, nafG1[i], negG1, GTable);
            acc = AddAffineDigit(acc, nafG2[i], negG2, GLambdaTable);
            acc = AddJacobianDigit(acc, nafR1[i], negR1, rTable);
            acc = AddJacobianDigit(acc, nafR2[i], negR2, rLambdaTable);
        }
        return acc;
    }

    private static JacobianPoint AddAffineDigit(in JacobianPoint acc, sbyte d, bool negate, AffinePoint[] table)
    {
        if (d == 0)
        {
            return acc;
        }
        var point = table[Math.Abs((int)d) >> 1];
        return acc.AddAffine((d < 0) ^ negate ? point.Negate() : point);
    }

    private static JacobianPoint AddJacobianDigit(in JacobianPoint acc, sbyte d, bool negate, ReadOnlySpan<JacobianPoint> table)
    {
        if (d == 0)
        {
            return acc;
        }
        var point = table[Math.Abs((int)d) >> 1];
        return acc.Add((d < 0) ^ negate ? point.Negate() : point);
    }

    private static JacobianPoint AddDigit(in JacobianPoint acc, sbyte d) => d switch
    {
        > 0 => acc.AddAffine(GTable[d >> 1]),
        < 0 => acc.AddAffine(GTable[(-d) >> 1].Negate()),
        _ => acc,
    };

    /// <summary>Width-w non-adjacent form of k (0 ≤ k &lt; 2^256), least significant digit first; returns the length.</summary>
    private static int Wnaf(BigInteger k, int w, Span<sbyte> digits)
    {
        digits.Clear();
        Span<byte> bytes = stackalloc byte[32];
        Hex.WriteFixed(k, bytes);
        // Five limbs: subtracting a negative digit can carry past 2^256.
        Span<ulong> n = stackalloc ulong[5];
        n[0] = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
        n[1] = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        n[2] = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        n[3] = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        n[4] = 0;
        var window = 1 << w;
        var half = window >> 1;
        var mask = (ulong)(window - 1);
        var i = 0;
        while ((n[0] | n[1] | n[2] | n[3] | n[4]) != 0)
        {
            if ((n[0] & 1) != 0)
            {
                var d = (int)(n[0] & mask);
                if (d >= half)
                {
                    d -= window;
                }
                digits[i] = (sbyte)d;
                if (d > 0)
                {
                    SubSmall(n, (ulong)d);
                }
                else
                {
                    AddSmall(n, (ulong)(-d));
                }
            }
            // Shift right by one.
            n[0] = (n[0] >> 1) | (n[1] << 63);
            n[1] = (n[1] >> 1) | (n[2] << 63);
            n[2] = (n[2] >> 1) | (n[3] << 63);
            n[3] = (n[3] >> 1) | (n[4] << 63);
            n[4] >>= 1;
            i++;
        }
        return i;
    }

    private static void SubSmall(Span<ulong> n, ulong value)
    {
        var borrow = value;
        for (var j = 0; j < n.Length && borrow != 0; j++)
        {
            var before = n[j];
            n[j] = before - borrow;
            borrow = before < borrow ? 1UL : 0UL;
        }
    }

    private static void AddSmall(Span<ulong> n, ulong value)
    {
        var carry = value;
        for (var j = 0; j < n.Length && carry != 0; j++)
        {
            n[j] += carry;
            carry = n[j] < carry ? 1UL : 0UL;
        }
    }
}
