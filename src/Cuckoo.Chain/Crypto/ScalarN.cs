using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cuckoo.Chain;

/// <summary>
/// Arithmetic modulo the secp256k1 group order n in Montgomery form (R = 2^256), for the one inversion that
/// signing and recovery need; a BigInteger inversion costs more than the rest of a recovery put together.
/// </summary>
internal static class ScalarN
{
    private const ulong N0 = 0xBFD25E8CD0364141UL;
    private const ulong N1 = 0xBAAEDCE6AF48A03BUL;
    private const ulong N2 = 0xFFFFFFFFFFFFFFFEUL;
    private const ulong N3 = 0xFFFFFFFFFFFFFFFFUL;

    // −n⁻¹ mod 2^64
    private static readonly ulong NPrime = ComputeNPrime();

    // R² mod n, to enter Montgomery form.
    private static readonly Limbs R2 = ToLimbs(BigInteger.ModPow(2, 512, Secp256k1.NNet));

    // The exponent n − 2, most significant nibble first.
    private static readonly byte[] ExponentNibbles = Nibbles(Secp256k1.NNet - 2);

    [InlineArray(4)]
    private struct Limbs
    {
        private ulong _element;
    }

    private static Limbs ToLimbs(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        Hex.WriteFixed(value, bytes);
        var limbs = default(Limbs);
        limbs[0] = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
        limbs[1] = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        limbs[2] = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        limbs[3] = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        return limbs;
    }

    private static BigInteger ToBigInteger(in Limbs a)
    {
        Span<byte> bytes = stackalloc byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, a[3]);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], a[2]);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], a[1]);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], a[0]);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    private static byte[] Nibbles(BigInteger value)
    {
        var bytes = Hex.ToFixedBytes(value, 32);
        var nibbles = new byte[64];
        for (var i = 0; i < 32; i++)
        {
            nibbles[2 * i] = (byte)(bytes[i] >> 4);
            nibbles[(2 * i) + 1] = (byte)(bytes[i] & 0x0f);
        }
        return nibbles;
    }

    private static ulong ComputeNPrime()
    {
        // Newton iteration for the inverse of n0 modulo 2^64.
        ulong inv = 1;
        for (var i = 0; i < 7; i++)
        {
            inv *= 2 - (N0 * inv);
        }
        return unchecked(0UL - inv);
    }

    /// <summary>a⁻¹ mod n by Fermat (a^(n−2)), with a 4-bit fixed window. <paramref name="a"/> must be in [1, n−1].</summary>
    public static BigInteger Invert(BigInteger a)
    {
        var x = ToLimbs(a);
        var xm = MontMul(x, R2);

        // table[i] = x^i in Montgomery form; table[0] is 1 in Montgomery form (R mod n).
        Span<Limbs> table = stackalloc Limbs[16];
        var one = default(Limbs);
        one[0] = 1;
        table[0] = MontMul(one, R2);
        table[1] = xm;
        for (var i = 2; i < 16; i++)
        {
            table[i] = MontMul(table[i - 1], xm);
        }

        var acc = table[0];
        foreach (var nibble in ExponentNibbles)
        {
            acc = MontMul(acc, acc);
            acc = MontMul(acc, acc);
            acc = MontMul(acc, acc);
            acc = MontMul(acc, acc);
            if (nibble != 0)
            {
                acc = MontMul(acc, table[nibble]);
            }
        }
        // Leave Montgomery form: multiply by 1.
        return ToBigInteger(MontMul(acc, one));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAddCarry(ulong t, ulong a, ulong b, ref ulong carry)
    {
        // t + a·b + carry < 2^128 always, so the high word cannot overflow.
        ulong hi = Math.BigMul(a, b, out ulong lo);
        lo += t;
        hi += lo < t ? 1UL : 0UL;
        lo += carry;
        hi += lo < carry ? 1UL : 0UL;
        carry = hi;
        return lo;
    }

    /// <summary>a·b·R⁻¹ mod n (CIOS Montgomery multiplication); inputs below n, output below n.</summary>
    private static Limbs MontMul(in Limbs a, in Limbs b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        for (var i = 0; i < 4; i++)
        {
            ulong ai = a[i];
            ulong carry = 0;
            t0 = MulAddCarry(t0, ai, b[0], ref carry);
            t1 = MulAddCarry(t1, ai, b[1], ref carry);
            t2 = MulAddCarry(t2, ai, b[2], ref carry);
            t3 = MulAddCarry(t3, ai, b[3], ref carry);
            ulong sum = t4 + carry;
            ulong t5 = sum < carry ? 1UL : 0UL;
            t4 = sum;

            ulong m = t0 * NPrime;
            carry = 0;
            MulAddCarry(t0, m, N0, ref carry);
            t0 = MulAddCarry(t1, m, N1, ref carry);
            t1 = MulAddCarry(t2, m, N2, ref carry);
            t2 = MulAddCarry(t3, m, N3, ref carry);
            sum = t4 + carry;
            t5 += sum < carry ? 1UL : 0UL;
            t3 = sum;
            t4 = t5;
        }
        // t < 2n: subtract n once if needed.
        ulong borrow = 0;
        ulong d0 = Sub(t0, N0, ref borrow);
        ulong d1 = Sub(t1, N1, ref borrow);
        ulong d2 = Sub(t2, N2, ref borrow);
        ulong d3 = Sub(t3, N3, ref borrow);
        var r = default(Limbs);
        if (t4 != 0 || borrow == 0)
        {
            r[0] = d0;
            r[1] = d1;
            r[2] = d2;
            r[3] = d3;
        }
        else
        {
            r[0] = t0;
            r[1] = t1;
            r[2] = t2;
            r[3] = t3;
        }
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Sub(ulong a, ulong b, ref ulong borrow)
    {
        ulong x = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong y = x - borrow;
        ulong b2 = x < borrow ? 1UL : 0UL;
        borrow = b1 | b2;
        return y;
    }
}
