using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cuckoo.Chain;

/// <summary>
/// An element of the secp256k1 base field, p = 2^256 − 2^32 − 977, as four 64-bit limbs (little-endian).
/// Values are kept below 2^256 but not always below p; <see cref="Normalize"/> makes them canonical.
/// Recovery spends nearly all its time here, so this avoids allocation and big-integer arithmetic entirely.
/// </summary>
internal readonly struct FieldElement
{
    // 2^256 mod p
    private const ulong C = 0x1000003D1UL;

    private const ulong P0 = 0xFFFFFFFEFFFFFC2FUL;
    private const ulong P1 = 0xFFFFFFFFFFFFFFFFUL;
    private const ulong P2 = 0xFFFFFFFFFFFFFFFFUL;
    private const ulong P3 = 0xFFFFFFFFFFFFFFFFUL;

    public readonly ulong L0, L1, L2, L3;

    public FieldElement(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public static FieldElement Zero => default;

    public static FieldElement One => new(1, 0, 0, 0);

    public static FieldElement FromInt(ulong value) => new(value, 0, 0, 0);

    /// <summary>Reads 32 big-endian bytes; false when the value is not below p.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out FieldElement element)
    {
        element = new FieldElement(
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes));
        return !GreaterOrEqualP(element);
    }

    public void WriteBytes(Span<byte> destination)
    {
        var n = Normalize();
        BinaryPrimitives.WriteUInt64BigEndian(destination, n.L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], n.L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], n.L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], n.L0);
    }

    public FieldElement Normalize() => GreaterOrEqualP(this) ? SubP(this) : this;

    public bool IsZero
    {
        get
        {
            var n = Normalize();
            return (n.L0 | n.L1 | n.L2 | n.L3) == 0;
        }
    }

    public bool IsOdd => (Normalize().L0 & 1) == 1;

    public bool EqualsValue(FieldElement other)
    {
        var a = Normalize();
        var b = other.Normalize();
        return a.L0 == b.L0 && a.L1 == b.L1 && a.L2 == b.L2 && a.L3 == b.L3;
    }

    private static bool GreaterOrEqualP(FieldElement a) =>
        a.L3 == P3 && a.L2 == P2 && a.L1 == P1 && a.L0 >= P0;

    private static FieldElement SubP(FieldElement a)
    {
        // a ≥ p and a < 2^256, so a − p = a + C − 2^256: add C and drop the carry.
        ulong r0 = a.L0 + C;
        ulong carry = r0 < C ? 1UL : 0UL;
        ulong r1 = a.L1 + carry;
        carry = r1 < carry ? 1UL : 0UL;
        ulong r2 = a.L2 + carry;
        carry = r2 < carry ? 1UL : 0UL;
        ulong r3 = a.L3 + carry;
        return new FieldElement(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement operator +(in FieldElement a, in FieldElement b)
    {
        ulong r0 = a.L0 + b.L0;
        ulong c = r0 < a.L0 ? 1UL : 0UL;
        ulong t = a.L1 + c;
        ulong c2 = t < c ? 1UL : 0UL;
        ulong r1 = t + b.L1;
        c = (r1 < t ? 1UL : 0UL) | c2;
        t = a.L2 + c;
        c2 = t < c ? 1UL : 0UL;
        ulong r2 = t + b.L2;
        c = (r2 < t ? 1UL : 0UL) | c2;
        t = a.L3 + c;
        c2 = t < c ? 1UL : 0UL;
        ulong r3 = t + b.L3;
        c = (r3 < t ? 1UL : 0UL) | c2;
        // An overflow of 2^256 is worth C; folding it can overflow once more, at most.
        while (c != 0)
        {
            ulong add = C;
            r0 += add;
            c = r0 < add ? 1UL : 0UL;
            r1 += c;
            c = r1 < c ? 1UL : 0UL;
            r2 += c;
            c = r2 < c ? 1UL : 0UL;
            r3 += c;
            c = r3 < c ? 1UL : 0UL;
        }
        return new FieldElement(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement operator -(in FieldElement a, in FieldElement b)
    {
        ulong r0 = a.L0 - b.L0;
        ulong borrow = a.L0 < b.L0 ? 1UL : 0UL;
        ulong t = a.L1 - borrow;
        ulong b2 = a.L1 < borrow ? 1UL : 0UL;
        ulong r1 = t - b.L1;
        borrow = (t < b.L1 ? 1UL : 0UL) | b2;
        t = a.L2 - borrow;
        b2 = a.L2 < borrow ? 1UL : 0UL;
        ulong r2 = t - b.L2;
        borrow = (t < b.L2 ? 1UL : 0UL) | b2;
        t = a.L3 - borrow;
        b2 = a.L3 < borrow ? 1UL : 0UL;
        ulong r3 = t - b.L3;
        borrow = (t < b.L3 ? 1UL : 0UL) | b2;
        // A wrap added 2^256 ≡ C; take C back (which can wrap again, at most once more).
        while (borrow != 0)
        {
            ulong sub = C;
            borrow = r0 < sub ? 1UL : 0UL;
            r0 -= sub;
            ulong bb = r1 < borrow ? 1UL : 0UL;
            r1 -= borrow;
            borrow = bb;
            bb = r2 < borrow ? 1UL : 0UL;
            r2 -= borrow;
            borrow = bb;
            bb = r3 < borrow ? 1UL : 0UL;
            r3 -= borrow;
            borrow = bb;
        }
        return new FieldElement(r0, r1, r2, r3);
    }

    public FieldElement Negate() => Zero - this;

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
