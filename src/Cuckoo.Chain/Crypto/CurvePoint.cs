using System.Buffers.Binary;
using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>A secp256k1 point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity.</summary>
internal readonly struct JacobianPoint(FieldElement x, FieldElement y, FieldElement z)
{
    public readonly FieldElement X = x;
    public readonly FieldElement Y = y;
    public readonly FieldElement Z = z;

    public static JacobianPoint Infinity => default;

    public bool IsInfinity => Z.IsZero;

    public static JacobianPoint FromAffine(AffinePoint p) => new(p.X, p.Y, FieldElement.One);

    /// <summary>dbl-2009-l for a = 0: 2M + 5S.</summary>
    public JacobianPoint Double()
    {
        if (IsInfinity)
        {
            return this;
        }
        var a = X.Square();
        var b = Y.Square();
        var c = b.Square();
        var xb = X + b;
        var d = xb.Square() - a - c;
        d += d;
        var e = a + a + a;
        var f = e.Square();
        var x3 = f - d - d;
        var c8 = c + c;
        c8 += c8;
        c8 += c8;
        var y3 = e * (d - x3) - c8;
        var yz = Y * Z;
        return new JacobianPoint(x3, y3, yz + yz);
    }

    /// <summary>Adds an affine point (madd-2007-bl): 7M + 4S.</summary>
    public JacobianPoint AddAffine(in AffinePoint q)
    {
        if (IsInfinity)
        {
            return FromAffine(q);
        }
        var z1z1 = Z.Square();
        var u2 = q.X * z1z1;
        var s2 = q.Y * Z * z1z1;
        var h = u2 - X;
        var r = s2 - Y;
        if (h.IsZero)
        {
            return r.IsZero ? Double() : Infinity;
        }
        var hh = h.Square();
        var i = hh + hh;
        i += i;
        var j = h * i;
        r += r;
        var v = X * i;
        var x3 = r.Square() - j - v - v;
        var yj = Y * j;
        var y3 = r * (v - x3) - yj - yj;
        var z3 = (Z + h).Square() - z1z1 - hh;
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>Adds a Jacobian point (add-2007-bl): 11M + 5S.</summary>
    public JacobianPoint Add(in JacobianPoint q)
    {
        if (IsInfinity)
        {
            return q;
        }
        if (q.IsInfinity)
        {
            return this;
        }
        var z1z1 = Z.Square();
        var z2z2 = q.Z.Square();
        var u1 = X * z2z2;
        var u2 = q.X * z1z1;
        var s1 = Y * q.Z * z2z2;
        var s2 = q.Y * Z * z1z1;
        var h = u2 - u1;
        var r = s2 - s1;
        if (h.IsZero)
        {
            return r.IsZero ? Double() : Infinity;
        }
        var i = (h + h).Square();
        var j = h * i;
        r += r;
        var v = u1 * i;
        var x3 = r.Square() - j - v - v;
        var s1j = s1 * j;
        var y3 = r * (v - x3) - s1j - s1j;
        var z3 = ((Z + q.Z).Square() - z1z1 - z2z2) * h;
        return new JacobianPoint(x3, y3, z3);
    }

    public JacobianPoint Negate() => new(X, Y.Negate(), Z);

    public AffinePoint ToAffine()
    {
        var zInv = Z.Invert();
        var zInv2 = zInv.Square();
        return new AffinePoint((X * zInv2).Normalize(), (Y * zInv2 * zInv).Normalize());
    }
}

internal readonly struct AffinePoint(FieldElement x, FieldElement y)
{
    public readonly FieldElement X = x;
    public readonly FieldElement Y = y;

    public AffinePoint Negate() => new(X, Y.Negate());

    public void WriteXY(Span<byte> destination)
    {
        X.WriteBytes(destination[..32]);
        Y.WriteBytes(destination[32..64]);
    }
}
