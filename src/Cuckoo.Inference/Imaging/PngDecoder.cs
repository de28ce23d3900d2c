using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Cuckoo.Inference.Imaging;

/// <summary>Thrown for bytes that are not a PNG this decoder supports; the message says what is wrong.</summary>
public sealed class InvalidImageException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>
/// Reads non-interlaced 8-bit PNGs in gray, gray+alpha, RGB or RGBA with any of the five row filters.
/// Chunk CRCs are checked; images above <paramref name="maxPixels"/> are refused before inflating.
/// </summary>
public static class PngDecoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes to 1, 3 or 4 channels (gray+alpha is composited over white to gray).</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> png, long maxPixels = 64L * 1024 * 1024)
    {
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
        {
            throw new InvalidImageException("not a PNG file (bad signature)");
        }

        int width = 0, height = 0, colorType = -1;
        var sawHeader = false;
        var sawEnd = false;
        using var idat = new MemoryStream();
        var offset = Signature.Length;
        while (offset < png.Length)
        {
            if (png.Length - offset < 12)
            {
                throw new InvalidImageException($"truncated chunk at byte {offset}");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length > int.MaxValue || length > (uint)(png.Length - offset - 12))
            {
                throw new InvalidImageException($"chunk at byte {offset} claims {length} bytes, past the end of the file");
            }

            var type = Encoding.ASCII.GetString(png.Slice(offset + 4, 4));
            var data = png.Slice(offset + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
            if (Crc32.Compute(png.Slice(offset + 4, 4 + (int)length)) != crc)
            {
                throw new InvalidImageException($"CRC mismatch in {type} chunk at byte {offset}");
            }

            switch (type)
            {
                case "IHDR":
                    if (length != 13)
                    {
                        throw new InvalidImageException("IHDR chunk must be 13 bytes");
                    }

                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    var bitDepth = data[8];
                    colorType = data[9];
                    if (width <= 0 || height <= 0)
                    {
                        throw new InvalidImageException($"invalid image size {width}x{height}");
                    }

                    if ((long)width * height > maxPixels)
                    {
                        throw new InvalidImageException($"image {width}x{height} exceeds the limit of {maxPixels} pixels");
                    }

                    if (bitDepth != 8)
                    {
                        throw new InvalidImageException($"bit depth {bitDepth} is not supported (8 only)");
                    }

                    if (colorType is not (0 or 2 or 4 or 6))
                    {
                        throw new InvalidImageException($"color type {colorType} is not supported (gray, gray+alpha, RGB, RGBA)");
                    }

                    if (data[10] != 0 || data[11] != 0)
                    {
                        throw new InvalidImageException("unknown compression or filter method");
                    }

                    if (data[12] != 0)
                    {
                        throw new InvalidImageException("interlaced PNGs are not supported");
                    }

                    sawHeader = true;
                    break;
                case "IDAT":
                    if (!sawHeader)
                    {
                        throw new InvalidImageException("IDAT before IHDR");
                    }

                    idat.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
            }

            offset += 12 + (int)length;
            if (sawEnd)
            {
                break;
            }
        }

        if (!sawHeader || idat.Length == 0)
        {
            throw new InvalidImageException("PNG has no IHDR or no image data");
        }

        var bpp = colorType switch { 0 => 1, 2 => 3, 4 => 2, _ => 4 };
        var stride = width * bpp;
        var rawLength = (stride + 1) * height;
        var raw = ArrayPool<byte>.Shared.Rent(rawLength);
        var pixels = new byte[(long)stride * height];
        idat.Position = 0;
        try
        {
            using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            {
                zlib.ReadExactly(raw, 0, rawLength);
            }

            Unfilter(raw, pixels, stride, height, bpp);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidImageException("image data is corrupt or shorter than the header says", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }

        if (colorType == 4)
        {
            var gray = new byte[width * height];
            for (var i = 0; i < gray.Length; i++)
            {
                var a = pixels[2 * i + 1];
                gray[i] = (byte)((pixels[2 * i] * a + 255 * (255 - a) + 127) / 255);
            }

            return new RgbImage(width, height, 1, gray);
        }

        return new RgbImage(width, height, bpp, pixels);
    }

    private static void Unfilter(byte[] raw, byte[] pixels, int stride, int height, int bpp)
    {
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = raw.AsSpan(y * (stride + 1) + 1, stride);
            var dst = pixels.AsSpan(y * stride, stride);
            var up = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            switch (filter)
            {
                case 0:
                    src.CopyTo(dst);
                    break;
                case 1:
                    src[..bpp].CopyTo(dst);
                    for (var x = bpp; x < stride; x++)
                    {
                        dst[x] = (byte)(src[x] + dst[x - bpp]);
                    }

                    break;
                case 2:
                    for (var x = 0; x < stride; x++)
                    {
                        dst[x] = (byte)(src[x] + up[x]);
                    }

                    break;
                case 3:
                    for (var x = 0; x < stride; x++)
                    {
                        var left = x >= bpp ? dst[x - bpp] : 0;
                        dst[x] = (byte)(src[x] + ((left + up[x]) >> 1));
                    }

                    break;
                case 4:
                    for (var x = 0; x < stride; x++)
                    {
                        int a = x >= bpp ? dst[x - bpp] : 0, c = x >= bpp ? up[x - bpp] : 0;
                        dst[x] = (byte)(src[x] + Paeth(a, up[x], c));
                    }

                    break;
                default:
                    throw new InvalidImageException($"unknown filter type {filter} on row {y}");
            }
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
