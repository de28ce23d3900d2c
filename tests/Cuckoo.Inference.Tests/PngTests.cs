using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Tests.Support;

namespace Cuckoo.Inference.Tests;

public sealed class PngTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Png_round_trips_every_channel_layout(int channels)
    {
        var image = Noise(37, 23, channels, seed: channels);
        var decoded = PngDecoder.Decode(PngEncoder.Encode(image));
        Assert.Equal(image.Width, decoded.Width);
        Assert.Equal(image.Height, decoded.Height);
        Assert.Equal(channels, decoded.Channels);
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Png_encoding_is_byte_identical_for_equal_pixels()
    {
        Assert.Equal(PngEncoder.Encode(Noise(64, 64, 3, 7)), PngEncoder.Encode(Noise(64, 64, 3, 7)));
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(6, 4)]
    [InlineData(0, 1)]
    public void Decoder_undoes_all_five_row_filters(int colorType, int bpp)
    {
        var image = Noise(19, 10, bpp, seed: 11);
        var png = WriteWithFilters(image, colorType, bpp);
        Assert.Equal(image.Pixels, PngDecoder.Decode(png).Pixels);
    }

    [Fact]
    public void Decoder_rejects_an_unknown_row_filter()
    {
        var png = WriteWithFilters(Noise(4, 2, 3, 1), 2, 3, onlyFilter: 7);
        Assert.Contains("unknown filter type 7", Assert.Throws<InvalidImageException>(() => PngDecoder.Decode(png)).Message);
    }

    [Fact]
    public void Gray_alpha_is_composited_over_white()
    {
        // Two pixels: black opaque, black fully transparent.
        var png = WriteWithFilters(new RgbImage(2, 1, 1, [0, 0]), 4, 2, raw: [0, 255, 0, 0]);
        Assert.Equal(new byte[] { 0, 255 }, PngDecoder.Decode(png).Pixels);
    }

    [PythonFact]
    public void Python_zlib_reads_our_png_to_the_same_pixels()
    {
        var python = PythonFactAttribute.Python;
        var image = Noise(40, 30, 3, seed: 5);
        var file = Path.Combine(Path.GetTempPath(), $"cuckoo-png-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(file, PngEncoder.Encode(image));
        try
        {
            // An independent reader: parse chunks, inflate with Python's zlib, undo the Sub filter, print sha256 of the pixels.
            const string script = """
                import sys, struct, zlib, hashlib
                d = open(sys.argv[1], 'rb').read(); assert d[:8] == b'\x89PNG\r\n\x1a\n'
                i, idat = 8, b''
                while i < len(d):
                    n, t = struct.unpack('>I4s', d[i:i+8]); body = d[i+8:i+8+n]
                    assert zlib.crc32(t + body) == struct.unpack('>I', d[i+8+n:i+12+n])[0]
                    if t == b'IHDR': w, h = struct.unpack('>II', body[:8])
                    if t == b'IDAT': idat += body
                    i += 12 + n
                raw, out, s = zlib.decompress(idat), bytearray(), w * 3
                for y in range(h):
                    row = bytearray(raw[y*(s+1)+1:(y+1)*(s+1)]); assert raw[y*(s+1)] == 1
                    for x in range(3, s): row[x] = (row[x] + row[x-3]) & 255
                    out += row
                print(hashlib.sha256(bytes(out)).hexdigest())
                """;
            var psi = new ProcessStartInfo(python!, ["-c", script, file]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(psi)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, error);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image.Pixels)), output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Decoder_rejects_a_file_that_is_not_png()
    {
        var e = Assert.Throws<InvalidImageException>(() => PngDecoder.Decode("GIF89a-not-a-png"u8));
        Assert.Contains("signature", e.Message);
    }

    [Fact]
    public void Decoder_rejects_a_corrupted_chunk()
    {
        var png = PngEncoder.Encode(Noise(8, 8, 3, 1));
        png[40] ^= 0xFF; // inside IDAT
        Assert.Contains("CRC mismatch", Assert.Throws<InvalidImageException>(() => PngDecoder.Decode(png)).Message);
    }

    [Fact]
    public void Decoder_rejects_a_truncated_file()
    {
        var png = PngEncoder.Encode(Noise(8, 8, 3, 1));
        Assert.Throws<InvalidImageException>(() => PngDecoder.Decode(png.AsSpan(0, png.Length - 20)));
    }

    [Theory]
    [InlineData(16, 2, 0, "bit depth 16")]
    [InlineData(8, 3, 0, "color type 3")]
    [InlineData(8, 2, 1, "interlaced")]
    public void Decoder_names_unsupported_formats(byte bitDepth, byte colorType, byte interlace, string expected)
    {
        var png = Header(4, 4, bitDepth, colorType, interlace);
        Assert.Contains(expected, Assert.Throws<InvalidImageException>(() => PngDecoder.Decode(png)).Message);
    }

    [Fact]
    public void Decoder_refuses_images_above_the_pixel_limit_before_inflating()
    {
        var png = Header(100_000, 100_000, 8, 2, 0);
        Assert.Contains("exceeds the limit", Assert.Throws<InvalidImageException>(() => PngDecoder.Decode(png, maxPixels: 1_000_000)).Message);
    }

    private static RgbImage Noise(int width, int height, int channels, int seed)
    {
        var pixels = new byte[width * height * channels];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, channels, pixels);
    }

    /// <summary>A PNG whose rows cycle through filters None, Sub, Up, Average, Paeth (a reference filter, per the spec).</summary>
    private static byte[] WriteWithFilters(RgbImage image, int colorType, int bpp, byte[]? raw = null, int? onlyFilter = null)
    {
        var pixels = raw ?? image.Pixels;
        var stride = image.Width * bpp;
        var filtered = new byte[(stride + 1) * image.Height];
        for (var y = 0; y < image.Height; y++)
        {
            var filter = onlyFilter ?? y % 5;
            filtered[y * (stride + 1)] = (byte)filter;
            for (var x = 0; x < stride; x++)
            {
                int cur = pixels[y * stride + x];
                int a = x >= bpp ? pixels[y * stride + x - bpp] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethReference(a, b, c),
                    _ => 0,
                };
                filtered[y * (stride + 1) + 1 + x] = (byte)(cur - predictor);
            }
        }

        using var body = new MemoryStream();
        using (var z = new ZLibStream(body, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(filtered);
        }

        using var png = new MemoryStream();
        png.Write(Header(image.Width, image.Height, 8, (byte)colorType, 0));
        Chunk(png, "IDAT", body.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static int PaethReference(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }

    private static byte[] Header(int width, int height, byte bitDepth, byte colorType, byte interlace)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        ihdr[12] = interlace;
        Chunk(png, "IHDR", ihdr);
        return png.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var buffer = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        Encoding.ASCII.GetBytes(type, buffer.AsSpan(4));
        data.CopyTo(buffer, 8);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + data.Length), Crc32.Compute(buffer.AsSpan(4, 4 + data.Length)));
        stream.Write(buffer);
    }
}
