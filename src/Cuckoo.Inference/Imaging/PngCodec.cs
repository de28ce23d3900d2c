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
/// PNG to and from our canonical <see cref="RgbImage"/>. Decoding is SkiaSharp's (libpng inside) with what is ours around
/// it: the narrowing Skia does not offer (it decodes RGB to 32-bit pixels), the refusal of anything but PNG, and the size
/// check against the header before pixels are decoded. Encoding, of pixels we made, is <see cref="PngWriter"/>.
/// </summary>
public static class PngCodec
{
    /// <summary>
    /// zlib level for encoding: 2 with the runtime's zlib-ng (<see cref="PngWriter"/>). A 256×256 cuckoo-cppn image
    /// measured 2.2 ms and 101 KB at 2; 1.3 ms but 148 KB at 1, whose quick mode has no dynamic Huffman codes (Skia's
    /// classic zlib gave 3.0 ms and 102 KB at 1, 6.8 ms and 96 KB at 6). Encoding takes its time from the next model run
    /// on a CPU miner and bounds a GPU miner's rate, while the bytes go over every miner's uplink and into the
    /// coordinator's journal. The digest is over the pixels, so miners at any level agree.
    /// </summary>
    public const int DefaultZLibLevel = 2;

    public static byte[] Encode(RgbImage image, int zlibLevel = DefaultZLibLevel) =>
        Encode(image.Pixels, image.Width, image.Height, image.Channels, zlibLevel);

    /// <summary>
    /// Encodes width·height·channels bytes of rows (1 gray, 3 RGB, 4 RGBA, 8 bits each) with the Sub row filter, which
    /// suits smooth generated images (Skia's try-all-five took 47 ms for 78 KB where Sub took 13 ms for 96 KB, both at
    /// zlib 6). Equal pixels and settings give equal bytes.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, int zlibLevel = DefaultZLibLevel)
    {
        if (channels is not (1 or 3 or 4) || width <= 0 || height <= 0 || pixels.Length != (long)width * height * channels)
        {
            throw new ArgumentException($"cannot encode {pixels.Length} bytes as {width}x{height}x{channels}");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(zlibLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(zlibLevel, 9);
        return PngWriter.Write(pixels, width, height, channels, zlibLevel);
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
