namespace Cuckoo.Inference.Imaging;

/// <summary>An 8-bit image, row-major, <see cref="Channels"/> interleaved bytes per pixel (1 gray, 3 RGB, 4 RGBA).</summary>
public sealed record RgbImage
{
    public RgbImage(int width, int height, int channels, byte[] pixels)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"image size must be positive, got {width}x{height}");
        }

        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), $"channels must be 1, 3 or 4, got {channels}");
        }

        if (pixels.Length != (long)width * height * channels)
        {
            throw new ArgumentException($"expected {(long)width * height * channels} pixel bytes, got {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public byte[] Pixels { get; }

    /// <summary>The same image as 3-channel RGB (gray is replicated, alpha is composited over white).</summary>
    public RgbImage ToRgb()
    {
        if (Channels == 3)
        {
            return this;
        }

        var rgb = new byte[Width * Height * 3];
        for (var i = 0; i < Width * Height; i++)
        {
            if (Channels == 1)
            {
                rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = Pixels[i];
            }
            else
            {
                var a = Pixels[4 * i + 3];
                for (var c = 0; c < 3; c++)
                {
                    rgb[3 * i + c] = (byte)((Pixels[4 * i + c] * a + 255 * (255 - a) + 127) / 255);
                }
            }
        }

        return new RgbImage(Width, Height, 3, rgb);
    }
}
