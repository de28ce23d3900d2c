using System.Numerics;

namespace Cuckoo.Inference.Ocr;

/// <summary>A rotated rectangle: corners ordered top-left, top-right, bottom-right, bottom-left, and its side lengths.</summary>
public sealed record RotatedBox(Vector2[] Corners, float Width, float Height)
{
    public float ShortSide => MathF.Min(Width, Height);

    /// <summary>The box grown by <paramref name="distance"/> on every side (a polygon offset's minimum-area rectangle).</summary>
    public RotatedBox Expand(float distance)
    {
        var centre = (Corners[0] + Corners[1] + Corners[2] + Corners[3]) / 4f;
        var grown = new Vector2[4];
        var alongWidth = Direction(Corners[1] - Corners[0]);
        var alongHeight = Direction(Corners[3] - Corners[0]);
        for (var i = 0; i < 4; i++)
        {
            var offset = Corners[i] - centre;
            var u = Vector2.Dot(offset, alongWidth);
            var v = Vector2.Dot(offset, alongHeight);
            grown[i] = centre + alongWidth * (u + MathF.Sign(u) * distance) + alongHeight * (v + MathF.Sign(v) * distance);
        }

        return Geometry.Order(grown);
    }

    private static Vector2 Direction(Vector2 v) => v.LengthSquared() > 0 ? Vector2.Normalize(v) : Vector2.Zero;
}

/// <summary>Convex hulls and minimum-area rectangles (rotating calipers), as DB post-processing needs them.</summary>
public static class Geometry
{
    /// <summary>Andrew's monotone chain; returns the hull counter-clockwise without repeating the first point.</summary>
    public static List<Vector2> ConvexHull(IEnumerable<Vector2> points)
    {
        var sorted = points.Distinct().OrderBy(p => p.X).ThenBy(p => p.Y).ToList();
        if (sorted.Count < 3)
        {
            return sorted;
        }

        var hull = new List<Vector2>(sorted.Count * 2);
        foreach (var pass in new[] { sorted, Enumerable.Reverse(sorted).ToList() })
        {
            var start = hull.Count;
            foreach (var p in pass)
            {
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], p) <= 0)
                {
                    hull.RemoveAt(hull.Count - 1);
                }

                hull.Add(p);
            }

            hull.RemoveAt(hull.Count - 1);
        }

        return hull;
    }

    /// <summary>The minimum-area rectangle around the points; degenerate inputs give zero-width boxes.</summary>
    public static RotatedBox MinAreaRect(IReadOnlyList<Vector2> points)
    {
        var hull = ConvexHull(points);
        if (hull.Count == 1)
        {
            return Order([hull[0], hull[0], hull[0], hull[0]]);
        }

        var bestArea = float.MaxValue;
        Vector2[] best = [];
        for (var i = 0; i < hull.Count; i++)
        {
            var edge = hull[(i + 1) % hull.Count] - hull[i];
            if (edge.LengthSquared() == 0)
            {
                continue;
            }

            var u = Vector2.Normalize(edge);
            var v = new Vector2(-u.Y, u.X);
            float minU = float.MaxValue, maxU = float.MinValue, minV = float.MaxValue, maxV = float.MinValue;
            foreach (var p in hull)
            {
                var pu = Vector2.Dot(p, u);
                var pv = Vector2.Dot(p, v);
                minU = MathF.Min(minU, pu);
                maxU = MathF.Max(maxU, pu);
                minV = MathF.Min(minV, pv);
                maxV = MathF.Max(maxV, pv);
            }

            var area = (maxU - minU) * (maxV - minV);
            if (area < bestArea - 1e-4f)
            {
                bestArea = area;
                best = [u * minU + v * minV, u * maxU + v * minV, u * maxU + v * maxV, u * minU + v * maxV];
            }
        }

        return Order(best);
    }

    /// <summary>Orders four corners as PaddleOCR does: the two leftmost give top-left and bottom-left by y, the others the rest.</summary>
    public static RotatedBox Order(Vector2[] corners)
    {
        var byX = corners.OrderBy(p => p.X).ToArray();
        var (topLeft, bottomLeft) = byX[0].Y <= byX[1].Y ? (byX[0], byX[1]) : (byX[1], byX[0]);
        var (topRight, bottomRight) = byX[2].Y <= byX[3].Y ? (byX[2], byX[3]) : (byX[3], byX[2]);
        var width = Vector2.Distance(topLeft, topRight);
        var height = Vector2.Distance(topLeft, bottomLeft);
        return new RotatedBox([topLeft, topRight, bottomRight, bottomLeft], width, height);
    }

    public static float Area(IReadOnlyList<Vector2> polygon)
    {
        var sum = 0f;
        for (var i = 0; i < polygon.Count; i++)
        {
            var a = polygon[i];
            var b = polygon[(i + 1) % polygon.Count];
            sum += a.X * b.Y - b.X * a.Y;
        }

        return MathF.Abs(sum) / 2f;
    }

    public static float Perimeter(IReadOnlyList<Vector2> polygon)
    {
        var sum = 0f;
        for (var i = 0; i < polygon.Count; i++)
        {
            sum += Vector2.Distance(polygon[i], polygon[(i + 1) % polygon.Count]);
        }

        return sum;
    }

    /// <summary>Whether p lies in (or on) the convex polygon, whichever way it winds.</summary>
    public static bool InConvex(IReadOnlyList<Vector2> polygon, Vector2 p)
    {
        var sign = 0;
        for (var i = 0; i < polygon.Count; i++)
        {
            var cross = Cross(polygon[i], polygon[(i + 1) % polygon.Count], p);
            if (MathF.Abs(cross) < 1e-4f)
            {
                continue;
            }

            var s = cross > 0 ? 1 : -1;
            if (sign == 0)
            {
                sign = s;
            }
            else if (s != sign)
            {
                return false;
            }
        }

        return true;
    }

    private static float Cross(Vector2 o, Vector2 a, Vector2 b) => (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
}
