using BenchmarkDotNet.Attributes;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Models;
using SkiaSharp;

namespace Cuckoo.Inference.Benchmarks;

/// <summary>
/// PngCodec.Encode (our writer over the runtime's zlib-ng) against SkiaSharp's PNG encoder (the baseline, which
/// PngCodec used before) on one 256×256 cuckoo-cppn image, Sub filter both; BytesOut is the file size.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class PngEncodeBenchmarks
{
    private byte[] _rgb = [];

    [GlobalSetup]
    public void Setup()
    {
        var catalog = Cuckoo.Inference.Catalog.ModelCatalog.Load(Workload.CatalogPath());
        using var runner = ModelRunner.Create(catalog, "cuckoo-cppn", new InferenceSettings { IntraOpThreads = 1 });
        _rgb = PngCodec.Decode(runner.Run(new TextToImageInput("a red fox in the snow", 1, 256, 256)).Bytes).Pixels;
        Console.WriteLine($"// bytes: skia at 1 {Skia(1).Length}, ours at 1 {PngCodec.Encode(_rgb, 256, 256, 3, 1).Length}, at 2 {Ours().Length}");
    }

    [Benchmark(Baseline = true, Description = "SkiaSharp, zlib 1")]
    public byte[] SkiaLevel1() => Skia(1);

    [Benchmark(Description = "PngCodec, zlib-ng 2 (default)")]
    public byte[] Ours() => PngCodec.Encode(_rgb, 256, 256, 3);

    [Benchmark(Description = "PngCodec, zlib-ng 1")]
    public byte[] OursLevel1() => PngCodec.Encode(_rgb, 256, 256, 3, 1);

    private byte[] Skia(int level)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(256, 256, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = bitmap.GetPixelSpan();
        for (var i = 0; i < 256 * 256; i++)
        {
            rgba[4 * i] = _rgb[3 * i];
            rgba[4 * i + 1] = _rgb[3 * i + 1];
            rgba[4 * i + 2] = _rgb[3 * i + 2];
            rgba[4 * i + 3] = 255;
        }
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, level))!;
        return data.ToArray();
    }
}
