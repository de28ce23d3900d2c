using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cuckoo.Chain;

/// <summary>
/// An element of the secp256k1 base field, p = 2^256 − 2^32 − 977, as four 64-bit limbs (little-endian).
/// Values are kept below 2^256 but not always below p; <see cref="Normalize"/> makes them canonical.
/// Recovery spends nearly all its time here, so this avoids allocation and big-integer arithmetic entirely.
/// </summary>
internal readonly partial struct FieldElement
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
}
