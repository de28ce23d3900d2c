using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Cuckoo.Inference.Imaging;

/// <summary>
/// Writes 8-bit gray, RGB or RGBA PNGs: IHDR, one IDAT, IEND, no ancillary chunks, so equal pixels and equal
/// settings give equal bytes. Rows use filter Sub, which suits smooth generated images. Work buffers are pooled:
/// large temporary arrays would otherwise land on the large-object heap and cost a full GC every few images.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(RgbImage image, CompressionLevel level = CompressionLevel.Optimal) =>
        Encode(image.Pixels, image.Width, image.Height, image.Channels, level);

    /// <summary>Encodes width·height·channels bytes of rows (channels 1, 3 or 4).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, CompressionLevel level = CompressionLevel.Optimal)
    {
        if (channels is not (1 or 3 or 4) || width <= 0 || height <= 0 || pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"cannot encode {pixels.Length} bytes as {width}x{height}x{channels}");
        }

        var stride = width * channels;
        var filteredLength = (stride + 1) * height;
        var filtered = ArrayPool<byte>.Shared.Rent(filteredLength);
        // Deflate never grows data by more than a few bytes per 16 KiB block; this bound leaves ample room.
        var compressed = ArrayPool<byte>.Shared.Rent(filteredLength + filteredLength / 8 + 1024);
        try
        {
            for (var y = 0; y < height; y++)
            {
                var src = pixels.Slice(y * stride, stride);
                var dst = filtered.AsSpan(y * (stride + 1), stride + 1);
                dst[0] = 1; // Sub
                src[..channels].CopyTo(dst[1..]);
                for (var x = channels; x < stride; x++)
                {
                    dst[x + 1] = (byte)(src[x] - src[x - channels]);
                }
            }

            int idatLength;
            using (var sink = new MemoryStream(compressed, writable: true))
            {
                using (var zlib = new ZLibStream(sink, level, leaveOpen: true))
                {
                    zlib.Write(filtered, 0, filteredLength);
                }

                idatLength = (int)sink.Position;
            }

            var png = new byte[Signature.Length + (12 + 13) + (12 + idatLength) + 12];
            Signature.CopyTo(png, 0);
            var offset = Signature.Length;
            Span<byte> header = stackalloc byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
            header[8] = 8;
            header[9] = channels switch { 1 => 0, 3 => 2, _ => 6 };
            offset = WriteChunk(png, offset, "IHDR"u8, header);
            offset = WriteChunk(png, offset, "IDAT"u8, compressed.AsSpan(0, idatLength));
            WriteChunk(png, offset, "IEND"u8, []);
            return png;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(filtered);
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private static int WriteChunk(byte[] png, int offset, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(offset), data.Length);
        type.CopyTo(png.AsSpan(offset + 4));
        data.CopyTo(png.AsSpan(offset + 8));
        var crc = Crc32.Compute(png.AsSpan(offset + 4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(offset + 8 + data.Length), crc);
        return offset + 12 + data.Length;
    }
}
