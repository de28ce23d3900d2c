using System.Numerics;

namespace Cuckoo.Inference.Ocr;

/// <summary>A detected text region in source-image pixels: corners top-left, top-right, bottom-right, bottom-left.</summary>
public sealed record TextBox(IReadOnlyList<(int X, int Y)> Points, float Score)
{
    public int Left => Points.Min(p => p.X);

    public int Top => Points.Min(p => p.Y);

    public int Right => Points.Max(p => p.X);

    public int Bottom => Points.Max(p => p.Y);
}

/// <summary>DB post-processing settings (PaddleOCR's defaults).</summary>
public sealed record DbOptions(
    float Threshold = 0.3f,
    float BoxThreshold = 0.6f,
    float UnclipRatio = 1.5f,
    int MaxCandidates = 1000,
    int MinSize = 3);

/// <summary>
/// Differentiable-binarization post-processing: binarize the probability map, take 8-connected regions, fit each a
/// minimum-area rectangle, drop small ones and those whose mean probability inside is below the box threshold,
/// grow the rest by area×ratio/perimeter (the unclip the network was trained to undo), and scale to the source image.
/// </summary>
public static class DbPostProcessor
{
    public static IReadOnlyList<TextBox> Detect(
        ReadOnlySpan<float> probability, int mapWidth, int mapHeight, int sourceWidth, int sourceHeight, DbOptions options)
    {
        if (probability.Length != mapWidth * mapHeight)
        {
            throw new ArgumentException($"probability map has {probability.Length} values, expected {mapWidth}x{mapHeight}");
        }

        var boxes = new List<TextBox>();
        foreach (var region in Regions(probability, mapWidth, mapHeight, options.Threshold).Take(options.MaxCandidates))
        {
            var box = Geometry.MinAreaRect(region);
            if (box.ShortSide < options.MinSize)
            {
                continue;
            }

            var score = MeanInside(probability, mapWidth, mapHeight, box.Corners);
            if (score < options.BoxThreshold)
            {
                continue;
            }

            var distance = Geometry.Area(box.Corners) * options.UnclipRatio / Geometry.Perimeter(box.Corners);
            var grown = box.Expand(distance);
            if (grown.ShortSide < options.MinSize + 2)
            {
                continue;
            }

            var points = grown.Corners
                .Select(p => (
                    X: Math.Clamp((int)Math.Round(p.X / mapWidth * sourceWidth, MidpointRounding.ToEven), 0, sourceWidth),
                    Y: Math.Clamp((int)Math.Round(p.Y / mapHeight * sourceHeight, MidpointRounding.ToEven), 0, sourceHeight)))
                .ToArray();
            boxes.Add(new TextBox(points, score));
        }

        // A total order, so equal maps give equal JSON: top edge, then left edge, then score.
        return boxes.OrderBy(b => b.Top).ThenBy(b => b.Left).ThenByDescending(b => b.Score).ToList();
    }

    /// <summary>8-connected regions above the threshold, in scan order; each as its rows' leftmost and rightmost pixels.</summary>
    private static List<List<Vector2>> Regions(ReadOnlySpan<float> probability, int width, int height, float threshold)
    {
        var labels = new int[width * height];
        var regions = new List<List<Vector2>>();
        var stack = new Stack<int>();
        var rowMin = new int[height];
        var rowMax = new int[height];
        Array.Fill(rowMin, int.MaxValue);
        Array.Fill(rowMax, -1);
        for (var start = 0; start < labels.Length; start++)
        {
            if (labels[start] != 0 || probability[start] <= threshold)
            {
                continue;
            }

            var label = regions.Count + 1;
            int top = start / width, bottom = top;
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var index = stack.Pop();
                int x = index % width, y = index / width;
                rowMin[y] = Math.Min(rowMin[y], x);
                rowMax[y] = Math.Max(rowMax[y], x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
                for (var ny = Math.Max(y - 1, 0); ny <= Math.Min(y + 1, height - 1); ny++)
                {
                    for (var nx = Math.Max(x - 1, 0); nx <= Math.Min(x + 1, width - 1); nx++)
                    {
                        var n = ny * width + nx;
                        if (labels[n] == 0 && probability[n] > threshold)
                        {
                            labels[n] = label;
                            stack.Push(n);
                        }
                    }
                }
            }

            var points = new List<Vector2>((bottom - top + 1) * 2);
            for (var y = top; y <= bottom; y++)
            {
                if (rowMax[y] >= 0)
                {
                    points.Add(new Vector2(rowMin[y], y));
                    points.Add(new Vector2(rowMax[y], y));
                }

                rowMin[y] = int.MaxValue;
                rowMax[y] = -1;
            }

            regions.Add(points);
        }

        return regions;
    }

    /// <summary>Mean probability of the map's pixels inside the box (PaddleOCR's "fast" box score).</summary>
    private static float MeanInside(ReadOnlySpan<float> probability, int width, int height, Vector2[] corners)
    {
        var xmin = Math.Clamp((int)MathF.Floor(corners.Min(p => p.X)), 0, width - 1);
        var xmax = Math.Clamp((int)MathF.Ceiling(corners.Max(p => p.X)), 0, width - 1);
        var ymin = Math.Clamp((int)MathF.Floor(corners.Min(p => p.Y)), 0, height - 1);
        var ymax = Math.Clamp((int)MathF.Ceiling(corners.Max(p => p.Y)), 0, height - 1);
        double sum = 0;
        var count = 0;
        for (var y = ymin; y <= ymax; y++)
        {
            for (var x = xmin; x <= xmax; x++)
            {
                if (Geometry.InConvex(corners, new Vector2(x, y)))
                {
                    sum += probability[y * width + x];
                    count++;
                }
            }
        }

        return count == 0 ? 0f : (float)(sum / count);
    }
}
