using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Cuckoo.Inference.Imaging;

/// <summary>
/// Writes 8-bit gray, RGB or RGBA PNGs: IHDR, one IDAT, IEND, no ancillary chunks, so equal pixels and equal
/// settings give equal bytes (the digest miners compare). Rows use filter Sub, which suits smooth generated images.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(RgbImage image, CompressionLevel level = CompressionLevel.Optimal)
    {
        var stride = image.Width * image.Channels;
        var filtered = new byte[(stride + 1) * image.Height];
        var bpp = image.Channels;
        for (var y = 0; y < image.Height; y++)
        {
            var src = image.Pixels.AsSpan(y * stride, stride);
            var dst = filtered.AsSpan(y * (stride + 1), stride + 1);
            dst[0] = 1; // Sub
            for (var x = 0; x < stride; x++)
            {
                var left = x >= bpp ? src[x - bpp] : (byte)0;
                dst[x + 1] = (byte)(src[x] - left);
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            zlib.Write(filtered);
        }

        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;
        header[9] = image.Channels switch { 1 => 0, 3 => 2, _ => 6 };
        header[10] = 0;
        header[11] = 0;
        header[12] = 0;
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }
}
