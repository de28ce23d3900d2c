using System.Numerics;
using System.Text.Json;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Ocr;
using Cuckoo.Inference.Tests.Support;

namespace Cuckoo.Inference.Tests;

public sealed class TextDetectionTests(RunnerFixture fixture) : IClassFixture<RunnerFixture>
{
    [Fact]
    public void PaddleOcr_finds_each_drawn_line_of_text()
    {
        var (png, lines) = Repo.TwoLinePage();
        var output = fixture.Detector.Run(new ImageInput(png));
        var boxes = Boxes(output.Bytes);
        Assert.Equal(lines.Length, boxes.Count);
        for (var i = 0; i < lines.Length; i++)
        {
            var iou = IoU(lines[i], boxes[i]);
            Assert.True(iou > 0.7, $"line {i} {lines[i]} vs box {boxes[i]}: IoU {iou:F2}");
        }
    }

    [Fact]
    public void Detection_is_deterministic_and_digests_its_canonical_json()
    {
        var (png, _) = Repo.TwoLinePage();
        var first = fixture.Detector.Run(new ImageInput(png));
        var second = fixture.Detector.Run(new ImageInput(png));
        Assert.Equal(first.Bytes, second.Bytes);
        Assert.Equal("application/json", first.ContentType);
        Assert.Equal(Digest.Sha256Hex(first.Bytes), first.Sha256);
        Assert.StartsWith("""{"width":320,"height":240,"boxes":[{"points":[[""", System.Text.Encoding.UTF8.GetString(first.Bytes));
    }

    [Fact]
    public void Boxes_and_digest_match_the_ones_recorded_before_the_move_to_the_packages()
    {
        // Recorded with our own PNG codec and ONNX Runtime 1.29; decoding through Skia must give the same pixels.
        var output = fixture.Detector.Run(new ImageInput(Repo.TwoLinePage().Png));
        Assert.Equal(
            """{"width":320,"height":240,"boxes":[{"points":[[19,38],[216,38],[216,63],[19,63]],"score":0.918},{"points":[[40,138],[299,138],[299,170],[40,170]],"score":0.8832}]}""",
            System.Text.Encoding.UTF8.GetString(output.Bytes));
        Assert.Equal("1283c0526d3893d7af64a9b4c30eba94c17b758de20fe9c1417eb11fc2baf9f5", output.Sha256);
    }

    [Fact]
    public void Rgb_and_rgba_pages_are_read_like_the_gray_one()
    {
        var (png, _) = Repo.TwoLinePage();
        var gray = PngCodec.Decode(png);
        var rgb = PngCodec.Encode(gray.ToRgb());
        var rgba = new byte[gray.Width * gray.Height * 4];
        for (var i = 0; i < gray.Pixels.Length; i++)
        {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = gray.Pixels[i];
            rgba[4 * i + 3] = 255;
        }

        var expected = fixture.Detector.Run(new ImageInput(png)).Bytes;
        Assert.Equal(expected, fixture.Detector.Run(new ImageInput(rgb)).Bytes);
        Assert.Equal(expected, fixture.Detector.Run(new ImageInput(PngCodec.Encode(new RgbImage(gray.Width, gray.Height, 4, rgba)))).Bytes);
    }

    [Fact]
    public void Blank_page_has_no_boxes()
    {
        var png = PngCodec.Encode(new RgbImage(96, 64, 1, TinyFont.Blank(96, 64)));
        Assert.Empty(Boxes(fixture.Detector.Run(new ImageInput(png)).Bytes));
    }

    [Fact]
    public void Network_size_follows_paddleocr_limits()
    {
        Assert.Equal((320, 256), fixture.Detector.NetworkSize(320, 240)); // 240/32 = 7.5 rounds half to even, as Python does
        Assert.Equal((960, 480), fixture.Detector.NetworkSize(2000, 1000));
        Assert.Equal((32, 32), fixture.Detector.NetworkSize(8, 8));
    }

    [Fact]
    public void Undecodable_too_large_and_too_small_images_are_rejected()
    {
        Assert.Contains("cannot be read", Assert.Throws<InvalidModelInputException>(
            () => fixture.Detector.Prepare(new ImageInput("not an image"u8.ToArray()))).Message);
        var tiny = PngCodec.Encode(new RgbImage(4, 4, 1, new byte[16]));
        Assert.Contains("the image is 4x4", Assert.Throws<InvalidModelInputException>(
            () => fixture.Detector.Prepare(new ImageInput(tiny))).Message);
        Assert.Contains("limit is", Assert.Throws<InvalidModelInputException>(
            () => fixture.Detector.Prepare(new ImageInput(new byte[16 * 1024 * 1024 + 1]))).Message);
        Assert.Contains("takes an image", Assert.Throws<InvalidModelInputException>(
            () => fixture.Detector.Prepare(new TextToImageInput("text"))).Message);
    }

    [Fact]
    public void Image_whose_header_claims_a_huge_size_is_refused_before_its_pixels_are_decoded()
    {
        var png = PngFiles.Claiming100000Square();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidModelInputException>(() => fixture.Detector.Prepare(new ImageInput(png)));
        Assert.Equal("the image is 100000x100000; allowed is 8x8 to 4096x4096", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1_000_000, "pixels were allocated before the size check");
    }

    [Fact]
    public void Truncated_and_corrupt_pngs_are_refused_with_a_reason()
    {
        var (png, _) = Repo.TwoLinePage();
        var truncated = png[..(png.Length / 2)];
        Assert.StartsWith("the image cannot be read: the image data ends early or is corrupt", Assert.Throws<InvalidModelInputException>(
            () => fixture.Detector.Prepare(new ImageInput(truncated))).Message);

        var corrupt = (byte[])png.Clone();
        corrupt[png.Length / 2] ^= 0xFF; // inside the image data: its CRC no longer matches
        Assert.StartsWith("the image cannot be read:", Assert.Throws<InvalidModelInputException>(
            () => fixture.Detector.Prepare(new ImageInput(corrupt))).Message);
    }

    [Fact]
    public void Db_postprocessing_unclips_a_confident_rectangle_and_scales_it()
    {
        var map = new float[100 * 50];
        Fill(map, 100, left: 20, top: 10, right: 60, bottom: 20, value: 0.9f);
        var boxes = DbPostProcessor.Detect(map, 100, 50, 200, 100, new DbOptions());
        var box = Assert.Single(boxes);
        Assert.Equal(0.9f, box.Score, 3);

        // Fitted box 40x10 (pixel centres 20..60, 10..20); unclip distance = 400*1.5/100 = 6 on each side.
        Assert.Equal([(28, 8), (132, 8), (132, 52), (28, 52)], box.Points);
    }

    [Fact]
    public void Db_postprocessing_drops_faint_and_tiny_regions()
    {
        var map = new float[100 * 50];
        Fill(map, 100, 10, 10, 40, 20, 0.45f);  // above the 0.3 threshold, below the 0.6 box score
        Fill(map, 100, 70, 30, 71, 31, 0.99f);  // confident but 2 px: under the minimum size
        Assert.Empty(DbPostProcessor.Detect(map, 100, 50, 100, 50, new DbOptions()));
    }

    [Fact]
    public void Min_area_rect_fits_a_rotated_square()
    {
        var diamond = new[] { new Vector2(10, 0), new Vector2(20, 10), new Vector2(10, 20), new Vector2(0, 10), new Vector2(10, 10) };
        var box = Geometry.MinAreaRect(diamond);
        Assert.Equal(200f, box.Width * box.Height, 1);
        Assert.Equal(MathF.Sqrt(200), box.ShortSide, 3);
    }

    private static void Fill(float[] map, int width, int left, int top, int right, int bottom, float value)
    {
        for (var y = top; y <= bottom; y++)
        {
            for (var x = left; x <= right; x++)
            {
                map[y * width + x] = value;
            }
        }
    }

    private static List<(int Left, int Top, int Right, int Bottom)> Boxes(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("boxes").EnumerateArray()
            .Select(b => b.GetProperty("points").EnumerateArray().Select(p => (X: p[0].GetInt32(), Y: p[1].GetInt32())).ToList())
            .Select(p => (p.Min(q => q.X), p.Min(q => q.Y), p.Max(q => q.X), p.Max(q => q.Y)))
            .ToList();
    }

    private static double IoU((int Left, int Top, int Right, int Bottom) a, (int Left, int Top, int Right, int Bottom) b)
    {
        var w = Math.Max(0, Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left));
        var h = Math.Max(0, Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top));
        double inter = w * h;
        double union = (a.Right - a.Left) * (a.Bottom - a.Top) + (b.Right - b.Left) * (b.Bottom - b.Top) - inter;
        return inter / union;
    }
}
