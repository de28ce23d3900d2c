using System.Runtime.CompilerServices;

namespace Cuckoo.Chain;

/// <summary>Multiplication, squaring and the exponentiations built on them (inverse, square root).</summary>
internal readonly partial struct FieldElement
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulAdd(ulong a, ulong b, ref ulong c0, ref ulong c1, ref ulong c2)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        c0 += lo;
        hi += c0 < lo ? 1UL : 0UL;
        c1 += hi;
        c2 += c1 < hi ? 1UL : 0UL;
    }

    public static FieldElement operator *(in FieldElement a, in FieldElement b)
    {
        ulong c0 = 0, c1 = 0, c2 = 0;
        MulAdd(a.L0, b.L0, ref c0, ref c1, ref c2);
        ulong t0 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd(a.L0, b.L1, ref c0, ref c1, ref c2);
        MulAdd(a.L1, b.L0, ref c0, ref c1, ref c2);
        ulong t1 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd(a.L0, b.L2, ref c0, ref c1, ref c2);
        MulAdd(a.L1, b.L1, ref c0, ref c1, ref c2);
        MulAdd(a.L2, b.L0, ref c0, ref c1, ref c2);
        ulong t2 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd(a.L0, b.L3, ref c0, ref c1, ref c2);
        MulAdd(a.L1, b.L2, ref c0, ref c1, ref c2);
        MulAdd(a.L2, b.L1, ref c0, ref c1, ref c2);
        MulAdd(a.L3, b.L0, ref c0, ref c1, ref c2);
        ulong t3 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd(a.L1, b.L3, ref c0, ref c1, ref c2);
        MulAdd(a.L2, b.L2, ref c0, ref c1, ref c2);
        MulAdd(a.L3, b.L1, ref c0, ref c1, ref c2);
        ulong t4 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd(a.L2, b.L3, ref c0, ref c1, ref c2);
        MulAdd(a.L3, b.L2, ref c0, ref c1, ref c2);
        ulong t5 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd(a.L3, b.L3, ref c0, ref c1, ref c2);
        ulong t6 = c0;
        ulong t7 = c1;
        return Reduce(t0, t1, t2, t3, t4, t5, t6, t7);
    }

    public FieldElement Square()
    {
        // The cross products a_i·a_j (i ≠ j) appear twice: compute them once and double.
        ulong c0 = 0, c1 = 0, c2 = 0;
        MulAdd(L0, L0, ref c0, ref c1, ref c2);
        ulong t0 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd2(L0, L1, ref c0, ref c1, ref c2);
        ulong t1 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd2(L0, L2, ref c0, ref c1, ref c2);
        MulAdd(L1, L1, ref c0, ref c1, ref c2);
        ulong t2 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd2(L0, L3, ref c0, ref c1, ref c2);
        MulAdd2(L1, L2, ref c0, ref c1, ref c2);
        ulong t3 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd2(L1, L3, ref c0, ref c1, ref c2);
        MulAdd(L2, L2, ref c0, ref c1, ref c2);
        ulong t4 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd2(L2, L3, ref c0, ref c1, ref c2);
        ulong t5 = c0; c0 = c1; c1 = c2; c2 = 0;
        MulAdd(L3, L3, ref c0, ref c1, ref c2);
        ulong t6 = c0;
        ulong t7 = c1;
        return Reduce(t0, t1, t2, t3, t4, t5, t6, t7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulAdd2(ulong a, ulong b, ref ulong c0, ref ulong c1, ref ulong c2)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        // 2·(hi:lo) is 129 bits: the top bit goes to c2.
        c2 += hi >> 63;
        hi = (hi << 1) | (lo >> 63);
        lo <<= 1;
        c0 += lo;
        ulong k = c0 < lo ? 1UL : 0UL;
        ulong h2 = hi + k;
        c2 += h2 < hi ? 1UL : 0UL;
        c1 += h2;
        c2 += c1 < h2 ? 1UL : 0UL;
    }

    /// <summary>Reduces a 512-bit value: hi·2^256 + lo ≡ hi·C + lo.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Reduce(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5, ulong t6, ulong t7)
    {
        // r = lo + hi·C, 5 limbs.
        ulong hi, lo, carry;
        hi = Math.BigMul(t4, C, out lo);
        ulong r0 = t0 + lo;
        carry = (r0 < lo ? 1UL : 0UL) + hi;

        hi = Math.BigMul(t5, C, out lo);
        ulong r1 = t1 + carry;
        ulong k = r1 < carry ? 1UL : 0UL;
        r1 += lo;
        k += r1 < lo ? 1UL : 0UL;
        carry = hi + k;

        hi = Math.BigMul(t6, C, out lo);
        ulong r2 = t2 + carry;
        k = r2 < carry ? 1UL : 0UL;
        r2 += lo;
        k += r2 < lo ? 1UL : 0UL;
        carry = hi + k;

        hi = Math.BigMul(t7, C, out lo);
        ulong r3 = t3 + carry;
        k = r3 < carry ? 1UL : 0UL;
        r3 += lo;
        k += r3 < lo ? 1UL : 0UL;
        ulong r4 = hi + k;

        // Fold r4 (< 2^34) once more: r4·C < 2^68.
        hi = Math.BigMul(r4, C, out lo);
        r0 += lo;
        carry = (r0 < lo ? 1UL : 0UL) + hi;
        r1 += carry;
        carry = r1 < carry ? 1UL : 0UL;
        r2 += carry;
        carry = r2 < carry ? 1UL : 0UL;
        r3 += carry;
        carry = r3 < carry ? 1UL : 0UL;
        if (carry != 0)
        {
            // The value was within C of 2^256; the remainder is tiny and adding C cannot carry again.
            r0 += C;
            carry = r0 < C ? 1UL : 0UL;
            r1 += carry;
            carry = r1 < carry ? 1UL : 0UL;
            r2 += carry;
            carry = r2 < carry ? 1UL : 0UL;
            r3 += carry;
        }
        return new FieldElement(r0, r1, r2, r3);
    }

    private FieldElement SquareTimes(int n)
    {
        var r = this;
        for (var i = 0; i < n; i++)
        {
            r = r.Square();
        }
        return r;
    }

    /// <summary>x^(2^223 − 1) and the intermediate powers used by both inversion and square root.</summary>
    private void Chain(out FieldElement x2, out FieldElement x22, out FieldElement x223)
    {
        var x = this;
        x2 = x.Square() * x;
        var x3 = x2.Square() * x;
        var x6 = x3.SquareTimes(3) * x3;
        var x9 = x6.SquareTimes(3) * x3;
        var x11 = x9.SquareTimes(2) * x2;
        x22 = x11.SquareTimes(11) * x11;
        var x44 = x22.SquareTimes(22) * x22;
        var x88 = x44.SquareTimes(44) * x44;
        var x176 = x88.SquareTimes(88) * x88;
        var x220 = x176.SquareTimes(44) * x44;
        x223 = x220.SquareTimes(3) * x3;
    }

    /// <summary>x^(p−2) = x⁻¹ (zero for zero).</summary>
    public FieldElement Invert()
    {
        Chain(out var x2, out var x22, out var x223);
        var t = x223.SquareTimes(23) * x22;
        t = t.SquareTimes(5) * this;
        t = t.SquareTimes(3) * x2;
        return t.SquareTimes(2) * this;
    }

    /// <summary>A square root (x^((p+1)/4)); false when x is not a square.</summary>
    public bool TrySqrt(out FieldElement root)
    {
        Chain(out var x2, out var x22, out var x223);
        var t = x223.SquareTimes(23) * x22;
        t = t.SquareTimes(6) * x2;
        root = t.SquareTimes(2);
        return root.Square().EqualsValue(this);
    }
}
