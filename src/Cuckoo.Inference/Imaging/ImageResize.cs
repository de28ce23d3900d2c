namespace Cuckoo.Inference.Imaging;

/// <summary>Bilinear sampling with half-pixel centres (the convention of OpenCV's INTER_LINEAR).</summary>
public static class ImageResize
{
    /// <summary>
    /// Resizes an RGB or gray image and writes it as planar, normalized floats: plane c holds
    /// (value/255 − mean[c]) / std[c] of source channel <paramref name="channelMap"/>[c] (of the gray value for gray).
    /// </summary>
    public static void ToNormalizedPlanes(
        RgbImage rgb, int width, int height, ReadOnlySpan<int> channelMap, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> planes)
    {
        if (rgb.Channels is not (1 or 3))
        {
            throw new ArgumentException("expected an RGB or gray image", nameof(rgb));
        }

        var channels = rgb.Channels;
        var plane = width * height;
        var (x0, x1, fx) = Taps(rgb.Width, width);
        var (y0, y1, fy) = Taps(rgb.Height, height);
        Span<float> scale = stackalloc float[3];
        Span<float> offset = stackalloc float[3];
        Span<int> source = stackalloc int[3];
        for (var c = 0; c < 3; c++)
        {
            scale[c] = 1f / (255f * std[c]);
            offset[c] = mean[c] / std[c];
            source[c] = channels == 1 ? 0 : channelMap[c];
        }

        var pixels = rgb.Pixels;
        if (rgb.Width == width && rgb.Height == height)
        {
            // Same size: bilinear sampling at half-pixel centres is the identity, so only normalize.
            for (var c = 0; c < 3; c++)
            {
                var target = planes.Slice(c * plane, plane);
                var s = source[c];
                var (k, o) = (scale[c], offset[c]);
                for (var i = 0; i < plane; i++)
                {
                    target[i] = pixels[channels * i + s] * k - o;
                }
            }

            return;
        }

        var stride = rgb.Width * channels;
        for (var y = 0; y < height; y++)
        {
            var rowA = y0[y] * stride;
            var rowB = y1[y] * stride;
            var wy = fy[y];
            for (var x = 0; x < width; x++)
            {
                var a = x0[x] * channels;
                var b = x1[x] * channels;
                var wx = fx[x];
                var target = y * width + x;
                for (var c = 0; c < 3; c++)
                {
                    var s = source[c];
                    var top = pixels[rowA + a + s] + (pixels[rowA + b + s] - pixels[rowA + a + s]) * wx;
                    var bottom = pixels[rowB + a + s] + (pixels[rowB + b + s] - pixels[rowB + a + s]) * wx;
                    planes[c * plane + target] = (top + (bottom - top) * wy) * scale[c] - offset[c];
                }
            }
        }
    }

    private static (int[] Low, int[] High, float[] Weight) Taps(int sourceSize, int targetSize)
    {
        var low = new int[targetSize];
        var high = new int[targetSize];
        var weight = new float[targetSize];
        var ratio = (float)sourceSize / targetSize;
        for (var i = 0; i < targetSize; i++)
        {
            var s = Math.Clamp((i + 0.5f) * ratio - 0.5f, 0, sourceSize - 1);
            low[i] = (int)s;
            high[i] = Math.Min(low[i] + 1, sourceSize - 1);
            weight[i] = s - low[i];
        }

        return (low, high, weight);
    }
}
