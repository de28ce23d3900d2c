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
    private static readonly ulong[] N = Limbs(Secp256k1.NNet);

    // −n⁻¹ mod 2^64
    private static readonly ulong NPrime = ComputeNPrime();

    // R² mod n, to enter Montgomery form.
    private static readonly ulong[] R2 = Limbs(BigInteger.ModPow(2, 512, Secp256k1.NNet));

    private static readonly BigInteger NMinus2 = Secp256k1.NNet - 2;

    private static ulong[] Limbs(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        Hex.WriteFixed(value, bytes);
        return
        [
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
        ];
    }

    private static ulong ComputeNPrime()
    {
        // Newton iteration for the inverse of n0 modulo 2^64.
        ulong n0 = N[0];
        ulong inv = 1;
        for (var i = 0; i < 7; i++)
        {
            inv *= 2 - (n0 * inv);
        }
        return unchecked(0UL - inv);
    }

    public static BigInteger ToBigInteger(ReadOnlySpan<ulong> a)
    {
        Span<byte> bytes = stackalloc byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, a[3]);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], a[2]);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], a[1]);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], a[0]);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>a⁻¹ mod n by Fermat (a^(n−2)), with a 4-bit fixed window. <paramref name="a"/> must be in [1, n−1].</summary>
    public static BigInteger Invert(BigInteger a)
    {
        Span<ulong> x = stackalloc ulong[4];
        Limbs(a).CopyTo(x);
        Span<ulong> xm = stackalloc ulong[4];
        MontMul(x, R2, xm);

        // table[i] = x^i in Montgomery form (table[0] = R mod n = 1 in Montgomery form).
        Span<ulong> table = stackalloc ulong[16 * 4];
        Span<ulong> one = stackalloc ulong[4] { 1, 0, 0, 0 };
        MontMul(one, R2, table[..4]);
        xm.CopyTo(table.Slice(4, 4));
        for (var i = 2; i < 16; i++)
        {
            MontMul(table.Slice((i - 1) * 4, 4), xm, table.Slice(i * 4, 4));
        }

        Span<byte> e = stackalloc byte[32];
        Hex.WriteFixed(NMinus2, e);
        Span<ulong> acc = stackalloc ulong[4];
        Span<ulong> tmp = stackalloc ulong[4];
        table[..4].CopyTo(acc);
        for (var i = 0; i < 64; i++)
        {
            for (var s = 0; s < 4; s++)
            {
                MontMul(acc, acc, tmp);
                tmp.CopyTo(acc);
            }
            var nibble = (i & 1) == 0 ? e[i / 2] >> 4 : e[i / 2] & 0x0f;
            if (nibble != 0)
            {
                MontMul(acc, table.Slice(nibble * 4, 4), tmp);
                tmp.CopyTo(acc);
            }
        }
        // Leave Montgomery form: multiply by 1.
        MontMul(acc, one, tmp);
        return ToBigInteger(tmp);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        carry = c1 + (r < s ? 1UL : 0UL);
        return r;
    }

    /// <summary>r = a·b·R⁻¹ mod n (CIOS Montgomery multiplication); inputs below n, output below n.</summary>
    private static void MontMul(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> r)
    {
        Span<ulong> t = stackalloc ulong[6];
        t.Clear();
        for (var i = 0; i < 4; i++)
        {
            // t += a[i]·b
            ulong carry = 0;
            for (var j = 0; j < 4; j++)
            {
                ulong hi = Math.BigMul(a[i], b[j], out ulong lo);
                ulong c = 0;
                ulong s = AddCarry(t[j], lo, ref c);
                ulong c2 = carry;
                s = AddCarry(s, 0, ref c2);
                t[j] = s;
                carry = hi + c + c2;
            }
            ulong cc = 0;
            t[4] = AddCarry(t[4], carry, ref cc);
            t[5] = cc;

            // t = (t + m·n) / 2^64
            ulong m = t[0] * NPrime;
            carry = 0;
            for (var j = 0; j < 4; j++)
            {
                ulong hi = Math.BigMul(m, N[j], out ulong lo);
                ulong c = 0;
                ulong s = AddCarry(t[j], lo, ref c);
                ulong c2 = carry;
                s = AddCarry(s, 0, ref c2);
                t[j] = s;
                carry = hi + c + c2;
            }
            cc = 0;
            t[4] = AddCarry(t[4], carry, ref cc);
            t[5] += cc;
            t[0] = t[1];
            t[1] = t[2];
            t[2] = t[3];
            t[3] = t[4];
            t[4] = t[5];
            t[5] = 0;
        }
        // t < 2n: subtract n once if needed.
        Span<ulong> d = stackalloc ulong[4];
        ulong borrow = 0;
        for (var j = 0; j < 4; j++)
        {
            ulong x = t[j] - N[j];
            ulong b1 = t[j] < N[j] ? 1UL : 0UL;
            ulong y = x - borrow;
            ulong b2 = x < borrow ? 1UL : 0UL;
            d[j] = y;
            borrow = b1 | b2;
        }
        if (t[4] != 0 || borrow == 0)
        {
            d.CopyTo(r);
        }
        else
        {
            t[..4].CopyTo(r);
        }
    }
}
