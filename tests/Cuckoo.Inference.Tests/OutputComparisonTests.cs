using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;

namespace Cuckoo.Inference.Tests;

public sealed class OutputComparisonTests(RunnerFixture fixture) : IClassFixture<RunnerFixture>
{
    private static readonly ModelCatalog Catalog = Repo.Catalog();
    private readonly Func<string, string, byte[], string, byte[], bool> _agree = OutputComparison.For(Catalog);

    [Fact]
    public void Repository_catalog_declares_cppn_by_tolerance_and_the_detector_by_digest()
    {
        Assert.Equal(new VerificationSpec(VerificationKind.Tolerance, 2.0), Catalog.Get("cuckoo-cppn").VerificationOrDefault);
        Assert.Equal(VerificationSpec.Digest, Catalog.Get("ppocr-v4-det").VerificationOrDefault);
    }

    [Fact]
    public void Two_real_renders_of_cppn_with_the_same_prompt_agree()
    {
        var a = Render("a lighthouse at dusk");
        var b = Render("a lighthouse at dusk");
        Assert.True(_agree("cuckoo-cppn", a.Sha256, a.Bytes, b.Sha256, b.Bytes));
    }

    [Fact]
    public void A_perturbed_png_within_the_tolerance_agrees_and_one_beyond_it_does_not()
    {
        var a = Render("a lighthouse at dusk");
        var near = Perturb(a.Bytes, by: 1);
        var far = Perturb(a.Bytes, by: 40);
        Assert.InRange(OutputComparison.MeanAbsoluteDifference(a.Bytes, near)!.Value, 0.5, 2.0);
        Assert.True(_agree("cuckoo-cppn", a.Sha256, a.Bytes, "0xother", near));
        Assert.True(_agree("cuckoo-cppn", "0xother", near, a.Sha256, a.Bytes));
        Assert.False(_agree("cuckoo-cppn", a.Sha256, a.Bytes, "0xother", far));
    }

    [Fact]
    public void A_different_prompts_png_does_not_agree()
    {
        var a = Render("a lighthouse at dusk");
        var b = Render("a red fox in the snow");
        Assert.True(OutputComparison.MeanAbsoluteDifference(a.Bytes, b.Bytes) > 2.0);
        Assert.False(_agree("cuckoo-cppn", a.Sha256, a.Bytes, b.Sha256, b.Bytes));
    }

    [Fact]
    public void Images_of_different_sizes_do_not_agree()
    {
        var a = Render("forest");
        var b = fixture.Cppn.Run(new TextToImageInput("forest", 1, 64, 32));
        Assert.False(_agree("cuckoo-cppn", a.Sha256, a.Bytes, b.Sha256, b.Bytes));
    }

    [Fact]
    public void A_digest_model_agrees_only_on_equal_digests()
    {
        var a = Render("forest");
        var near = Perturb(a.Bytes, by: 1);
        Assert.False(_agree("ppocr-v4-det", a.Sha256, a.Bytes, "0xother", near));
        Assert.True(_agree("ppocr-v4-det", "0xABCDEF", [1], "abcdef", [2]));
    }

    [Fact]
    public void Garbage_bytes_and_unknown_models_fall_back_to_digest_equality_without_throwing()
    {
        var a = Render("forest");
        byte[] garbage = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];
        Assert.False(_agree("cuckoo-cppn", a.Sha256, a.Bytes, "0xbad", garbage));
        Assert.False(_agree("cuckoo-cppn", "0xbad", [], "0xworse", []));
        Assert.True(_agree("cuckoo-cppn", "0xsame", garbage, "0xsame", []));
        Assert.False(_agree("no-such-model", a.Sha256, a.Bytes, "0xother", Perturb(a.Bytes, by: 1)));
        Assert.True(_agree("no-such-model", "0x01", garbage, "0x01", garbage));
        Assert.Null(OutputComparison.MeanAbsoluteDifference(garbage, a.Bytes));
    }

    [Theory]
    [InlineData("""{ "kind": "tolerance" }""", "maxMeanAbsoluteDifference between 0 and 255")]
    [InlineData("""{ "kind": "tolerance", "maxMeanAbsoluteDifference": 300 }""", "maxMeanAbsoluteDifference between 0 and 255")]
    [InlineData("""{ "kind": "digest", "maxMeanAbsoluteDifference": 1 }""", "takes no maxMeanAbsoluteDifference")]
    [InlineData("""{ "kind": "fuzzy" }""", "not a valid model catalog")]
    public void Malformed_verification_is_refused_with_a_reason(string verification, string expected)
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repo.CatalogPath))!;
        doc["models"]![0]!["verification"] = System.Text.Json.Nodes.JsonNode.Parse(verification);
        var e = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(doc.ToJsonString(), Repo.Root));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Tolerance_on_a_model_that_does_not_output_images_is_refused()
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repo.CatalogPath))!;
        doc["models"]![1]!["verification"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "kind": "tolerance", "maxMeanAbsoluteDifference": 1 }""");
        var e = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(doc.ToJsonString(), Repo.Root));
        Assert.Contains("rgb-png", e.Message);
    }

    private ModelOutput Render(string prompt) => fixture.Cppn.Run(new TextToImageInput(prompt, 1, 96, 96));

    /// <summary>The image with every other byte moved by <paramref name="by"/> (away from the nearer end), re-encoded: a mean difference of about by/2.</summary>
    private static byte[] Perturb(byte[] png, int by)
    {
        var image = PngCodec.Decode(png);
        var pixels = image.Pixels.ToArray();
        for (var i = 0; i < pixels.Length; i += 2)
        {
            pixels[i] = (byte)(pixels[i] < 128 ? pixels[i] + by : pixels[i] - by);
        }
        return PngCodec.Encode(new RgbImage(image.Width, image.Height, image.Channels, pixels));
    }
}
