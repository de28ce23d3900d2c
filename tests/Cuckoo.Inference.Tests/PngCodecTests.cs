using System.Diagnostics;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Tests.Support;

namespace Cuckoo.Inference.Tests;

/// <summary>PNG: our writer read back by SkiaSharp's libpng, layouts, determinism, and refusals (what is ours around the package).</summary>
public sealed class PngCodecTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Png_round_trips_every_channel_layout(int channels)
    {
        var image = Noise(37, 23, channels, seed: channels);
        var decoded = PngCodec.Decode(PngCodec.Encode(image));
        Assert.Equal((image.Width, image.Height, channels), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Channels_keep_their_order_through_skia()
    {
        // Skia's native layout is BGRA: a red pixel that came back blue would mean a missed conversion.
        var image = new RgbImage(3, 1, 3, [255, 0, 0, 0, 255, 0, 0, 0, 255]);
        Assert.Equal(image.Pixels, PngCodec.Decode(PngCodec.Encode(image)).Pixels);
    }

    [Fact]
    public void Rgb_is_written_as_a_three_channel_png()
    {
        var png = PngCodec.Encode(Noise(8, 8, 3, seed: 1));
        Assert.Equal(2, png[25]); // IHDR colour type 2: RGB, no alpha channel stored
        Assert.Equal(6, PngCodec.Encode(Noise(8, 8, 4, seed: 1))[25]);
        Assert.Equal(0, PngCodec.Encode(Noise(8, 8, 1, seed: 1))[25]);
    }

    [Fact]
    public void Written_chunks_are_ihdr_idat_iend_with_their_crcs()
    {
        var png = PngCodec.Encode(Noise(33, 5, 3, seed: 2));
        var chunks = new List<string>();
        for (var at = 8; at < png.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            chunks.Add(System.Text.Encoding.ASCII.GetString(png, at + 4, 4));
            var crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(at + 4, 4 + length)), crc);
            at += 12 + length;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void A_zlib_level_outside_0_to_9_is_refused(int level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PngCodec.Encode(Noise(4, 4, 3, seed: 1), level));
    }

    [Fact]
    public void Every_zlib_level_round_trips_and_higher_ones_are_not_larger_for_a_smooth_image()
    {
        var gradient = new byte[256 * 64 * 3];
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] = (byte)(i / 3 % 256);
        }
        var image = new RgbImage(256, 64, 3, gradient);
        var sizes = Enumerable.Range(0, 10).Select(level =>
        {
            var png = PngCodec.Encode(image, level);
            Assert.Equal(gradient, PngCodec.Decode(png).Pixels);
            return png.Length;
        }).ToArray();
        Assert.True(sizes[0] > gradient.Length, "level 0 stores");
        Assert.True(sizes[9] <= sizes[2] && sizes[2] < sizes[0], string.Join(", ", sizes));
    }

    [Fact]
    public void Png_encoding_is_byte_identical_for_equal_pixels()
    {
        Assert.Equal(PngCodec.Encode(Noise(64, 64, 3, 7)), PngCodec.Encode(Noise(64, 64, 3, 7)));
    }

    [Fact]
    public void Transparent_pixels_are_composited_over_white_for_rgb()
    {
        var image = new RgbImage(2, 1, 4, [0, 0, 0, 255, 0, 0, 0, 0]);
        var decoded = PngCodec.Decode(PngCodec.Encode(image));
        Assert.Equal(4, decoded.Channels);
        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255 }, decoded.ToRgb().Pixels);
    }

    [Fact]
    public void Declared_size_is_read_from_the_header_and_checked_before_decoding()
    {
        var png = PngFiles.Claiming100000Square();
        Assert.Equal((100_000, 100_000), PngCodec.ReadSize(png));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ImageSizeException>(() => PngCodec.Decode(png, new ImageLimits(MaxWidth: 4096, MaxHeight: 4096)));
        Assert.Equal("the image is 100000x100000; allowed is 1x1 to 4096x4096", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1_000_000);
    }

    [Fact]
    public void Default_limits_refuse_what_no_model_accepts()
    {
        Assert.Throws<ImageSizeException>(() => PngCodec.Decode(PngFiles.Claiming100000Square()));
    }

    [Theory]
    [InlineData("just some text", "not a PNG file (no image format recognized)")]
    [InlineData("", "not a PNG file (no bytes)")]
    [InlineData("GIF89a-and-then-nothing", "not PNG")]
    public void Decoder_rejects_bytes_that_are_not_an_image(string text, string expected)
    {
        var e = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Decoder_rejects_other_image_formats()
    {
        // A complete 1x1 GIF: Skia reads it, we refuse it (models take PNG).
        byte[] gif = [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B];
        Assert.Equal("the image is Gif, not PNG", Assert.Throws<InvalidImageException>(() => PngCodec.Decode(gif)).Message);
    }

    [Fact]
    public void Decoder_rejects_a_truncated_file()
    {
        var png = PngCodec.Encode(Noise(64, 64, 3, 1));
        var e = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png.AsSpan(0, png.Length / 2)));
        Assert.Contains("ends early or is corrupt", e.Message);
        Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png.AsSpan(0, 20)));
    }

    [Fact]
    public void Decoder_rejects_corrupted_image_data()
    {
        var png = PngCodec.Encode(Noise(64, 64, 3, 1));
        png[png.Length / 2] ^= 0xFF; // inside IDAT: libpng's CRC check fails
        Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png));
    }

    [PythonFact]
    public void An_independent_decoder_reads_our_png_to_the_same_pixels()
    {
        var image = Noise(40, 30, 3, seed: 5);
        var file = Path.Combine(Path.GetTempPath(), $"cuckoo-png-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(file, PngCodec.Encode(image));
        try
        {
            // Python's zlib and a reference unfilter (all five filters) print the sha256 of the RGB rows.
            const string script = """
                import sys, struct, zlib, hashlib
                d = open(sys.argv[1], 'rb').read(); assert d[:8] == b'\x89PNG\r\n\x1a\n'
                i, idat = 8, b''
                while i < len(d):
                    n, t = struct.unpack('>I4s', d[i:i+8]); body = d[i+8:i+8+n]
                    assert zlib.crc32(t + body) == struct.unpack('>I', d[i+8+n:i+12+n])[0]
                    if t == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10]); assert (depth, ctype) == (8, 2)
                    if t == b'IDAT': idat += body
                    i += 12 + n
                raw, s, bpp = zlib.decompress(idat), w * 3, 3
                prev, out = bytearray(s), bytearray()
                for y in range(h):
                    f, row = raw[y*(s+1)], bytearray(raw[y*(s+1)+1:(y+1)*(s+1)])
                    for x in range(s):
                        a = row[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        pred = [0, a, b, (a + b) // 2, a if pa <= pb and pa <= pc else (b if pb <= pc else c)][f]
                        row[x] = (row[x] + pred) & 255
                    out += row; prev = row
                print(hashlib.sha256(bytes(out)).hexdigest())
                """;
            var psi = new ProcessStartInfo(PythonFactAttribute.Python!, ["-c", script, file]) { RedirectStandardOutput = true, RedirectStandardError = true };
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

    private static RgbImage Noise(int width, int height, int channels, int seed)
    {
        var pixels = new byte[width * height * channels];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, channels, pixels);
    }
}
