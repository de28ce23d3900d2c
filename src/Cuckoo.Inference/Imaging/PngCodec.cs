using System.Buffers;
using SkiaSharp;

namespace Cuckoo.Inference.Imaging;

/// <summary>Bytes that are not a PNG we accept; the message says what is wrong.</summary>
public class InvalidImageException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>A PNG whose header declares a size outside the limits; refused before any pixel is decoded.</summary>
public sealed class ImageSizeException(string message) : InvalidImageException(message);

/// <summary>Sizes an image may declare; anything outside is refused from the header alone.</summary>
public sealed record ImageLimits(int MinWidth = 1, int MinHeight = 1, int MaxWidth = 8192, int MaxHeight = 8192)
{
    public void Check(int width, int height)
    {
        if (width < MinWidth || height < MinHeight || width > MaxWidth || height > MaxHeight)
        {
            throw new ImageSizeException($"the image is {width}x{height}; allowed is {MinWidth}x{MinHeight} to {MaxWidth}x{MaxHeight}");
        }
    }
}

/// <summary>
/// PNG through SkiaSharp (libpng inside), to and from our canonical <see cref="RgbImage"/>. What is ours: the
/// layout conversions Skia does not offer (it decodes RGB to 32-bit pixels and has no packed 24-bit RGB to encode
/// from), the refusal of anything but PNG, and the size check against the header before pixels are decoded.
/// </summary>
public static class PngCodec
{
    /// <summary>
    /// zlib level for encoding: 1, the fastest. A 256×256 cuckoo-cppn image measured 6.8 ms and 96 KB at libpng's
    /// default 6, 3.0 ms and 102 KB at 1, against 19.5 ms for the model's run on one thread: on a miner whose cores the
    /// session keeps busy, the encoder's time is taken from the next run, while 6% more bytes on the wire cost nothing
    /// a miner pays for. The digest is over the pixels, so miners at any level agree.
    /// </summary>
    public const int DefaultZLibLevel = 1;

    /// <summary>
    /// Row filter for encoding. Skia's default tries all five per row: for a 256×256 cuckoo-cppn image that measured
    /// 47 ms and 78 KB here, Sub alone 13 ms and 96 KB (all filters at zlib 3: 10 ms, 84 KB). Sub suits smooth
    /// generated images, and encoding is on every task's path; the digest does not depend on it.
    /// </summary>
    public const SKPngEncoderFilterFlags Filter = SKPngEncoderFilterFlags.Sub;

    public static byte[] Encode(RgbImage image, int zlibLevel = DefaultZLibLevel) =>
        Encode(image.Pixels, image.Width, image.Height, image.Channels, zlibLevel);

    /// <summary>Encodes width·height·channels bytes of rows (1 gray, 3 RGB, 4 RGBA). Equal pixels and settings give equal bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, int zlibLevel = DefaultZLibLevel)
    {
        if (channels is not (1 or 3 or 4) || width <= 0 || height <= 0 || pixels.Length != (long)width * height * channels)
        {
            throw new ArgumentException($"cannot encode {pixels.Length} bytes as {width}x{height}x{channels}");
        }

        // Gray stays gray; RGB is widened to opaque RGBA, which Skia writes back as a 3-channel PNG.
        var info = channels == 1
            ? new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque)
            : new SKImageInfo(width, height, SKColorType.Rgba8888, channels == 3 ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var target = bitmap.GetPixelSpan();
        if (channels == 3)
        {
            Expand(pixels, target, width * height);
        }
        else
        {
            CopyRows(pixels, width * channels, target, bitmap.RowBytes, height);
        }

        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKPngEncoderOptions(Filter, zlibLevel))
            ?? throw new InvalidOperationException($"Skia could not encode a {width}x{height} PNG");
        return data.ToArray();
    }

    /// <summary>The size the PNG's header declares, without decoding pixels.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> png)
    {
        RequireBytes(png);
        using var data = SKData.CreateCopy(png);
        using var codec = Open(data);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>
    /// Decodes a PNG to 1 (gray), 3 (RGB, also palette) or 4 (with transparency) channels, as stored: no colour
    /// management, straight (not premultiplied) alpha. The header's size is checked against <paramref name="limits"/>
    /// first, so a file claiming a huge image costs nothing.
    /// </summary>
    /// <exception cref="ImageSizeException">The declared size is out of limits.</exception>
    /// <exception cref="InvalidImageException">Not a PNG, malformed or truncated.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> png, ImageLimits? limits = null)
    {
        RequireBytes(png);
        using var data = SKData.CreateCopy(png);
        using var codec = Open(data);
        var declared = codec.Info;
        (limits ?? new ImageLimits()).Check(declared.Width, declared.Height);

        var (width, height) = (declared.Width, declared.Height);
        var gray = declared.ColorType == SKColorType.Gray8;
        var opaque = declared.AlphaType == SKAlphaType.Opaque;
        // Skia's native order is Bgra8888; asking for Rgba8888 explicitly gives RGB order in memory.
        var info = gray
            ? new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque)
            : new SKImageInfo(width, height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var decoded = ArrayPool<byte>.Shared.Rent(info.BytesSize);
        try
        {
            var result = codec.GetPixels(info, decoded);
            if (result != SKCodecResult.Success)
            {
                throw new InvalidImageException(result == SKCodecResult.IncompleteInput
                    ? $"the image data ends early or is corrupt ({width}x{height} declared)"
                    : $"the image cannot be decoded ({result})");
            }

            var channels = gray ? 1 : opaque ? 3 : 4;
            var pixels = new byte[width * height * channels];
            if (channels == 3)
            {
                Narrow(decoded, pixels, width * height);
            }
            else
            {
                CopyRows(decoded, info.RowBytes, pixels, width * channels, height);
            }

            return new RgbImage(width, height, channels, pixels);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }

    private static void RequireBytes(ReadOnlySpan<byte> png)
    {
        if (png.IsEmpty)
        {
            throw new InvalidImageException("not a PNG file (no bytes)");
        }
    }

    private static SKCodec Open(SKData data)
    {
        var codec = SKCodec.Create(data) ?? throw new InvalidImageException("not a PNG file (no image format recognized)");
        var format = codec.EncodedFormat;
        if (format != SKEncodedImageFormat.Png)
        {
            codec.Dispose();
            throw new InvalidImageException($"the image is {format}, not PNG");
        }

        return codec;
    }

    private static void Expand(ReadOnlySpan<byte> rgb, Span<byte> rgba, int pixels)
    {
        for (int i = 0, j = 0; i < pixels; i++, j += 4)
        {
            rgba[j] = rgb[3 * i];
            rgba[j + 1] = rgb[3 * i + 1];
            rgba[j + 2] = rgb[3 * i + 2];
            rgba[j + 3] = 255;
        }
    }

    private static void Narrow(ReadOnlySpan<byte> rgba, Span<byte> rgb, int pixels)
    {
        for (int i = 0, j = 0; i < pixels; i++, j += 4)
        {
            rgb[3 * i] = rgba[j];
            rgb[3 * i + 1] = rgba[j + 1];
            rgb[3 * i + 2] = rgba[j + 2];
        }
    }

    private static void CopyRows(ReadOnlySpan<byte> source, int sourceStride, Span<byte> target, int targetStride, int height)
    {
        var row = Math.Min(sourceStride, targetStride);
        for (var y = 0; y < height; y++)
        {
            source.Slice(y * sourceStride, row).CopyTo(target.Slice(y * targetStride, row));
        }
    }
}
