using System.Security.Cryptography;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;
using Cuckoo.ModelGen;

namespace Cuckoo.Inference.Tests;

public sealed class CppnModelTests(RunnerFixture fixture) : IClassFixture<RunnerFixture>
{
    [Fact]
    public void Regenerating_the_model_gives_the_committed_file_and_the_catalog_digest()
    {
        var catalog = Repo.Catalog();
        var spec = catalog.Get("cuckoo-cppn");
        var generated = CppnModel.Build();
        Assert.Equal(spec.Sha256, Convert.ToHexStringLower(SHA256.HashData(generated)));
        Assert.Equal(File.ReadAllBytes(catalog.PathOf(spec)), generated);
    }

    /// <summary>
    /// Pixel digests recorded on the build before SkiaSharp and ONNX Runtime 1.31 (our own PNG codec, the vendored
    /// 1.29): the digest is defined on canonical pixels, so neither the codec nor the runtime may change it.
    /// </summary>
    [Theory]
    [InlineData("a lighthouse at dusk", 42, 128, 128, "a6e40d4ef22f04958eea3985d593badea788ab5752ec0531f7e2f943f6031d5b")]
    [InlineData("a red fox in the snow", 1, 256, 256, "42f9f32a3355f81cb6add97932c4f2049c9ccdf56a3781ed4ba72ab49db946da")]
    [InlineData("forest", 1, 160, 128, "37795bb8bc75f25e17158e136a48f709dfe32ce79e50b63a4c54ab624c0de0d3")]
    [InlineData("a cuckoo at dawn", 5, 64, 64, "e4601c872ea8118ae0e4e86761e5a97866ca64e8e4ef7c9560742b93d0438dc1")]
    public void Digests_match_the_ones_recorded_before_the_move_to_the_packages(string prompt, long seed, int width, int height, string expected)
    {
        var output = fixture.Cppn.Run(new TextToImageInput(prompt, seed, width, height));
        Assert.Equal(expected, output.Sha256);
        Assert.Equal(expected, Digest.OfImage(PngCodec.Decode(output.Bytes)));
    }

    [Fact]
    public void Same_prompt_and_seed_give_byte_identical_png()
    {
        var first = fixture.Cppn.Run(new TextToImageInput("a lighthouse at dusk", 42, 128, 128));
        var second = fixture.Cppn.Run(new TextToImageInput("a lighthouse at dusk", 42, 128, 128));
        Assert.Equal(first.Bytes, second.Bytes);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal("image/png", first.ContentType);
    }

    [Fact]
    public void Output_is_identical_with_another_session_and_thread_count()
    {
        using var other = ModelRunner.Create(Repo.Catalog(), "cuckoo-cppn", new InferenceSettings { IntraOpThreads = 2 });
        var input = new TextToImageInput("a lighthouse at dusk", 42, 128, 128);
        Assert.Equal(fixture.Cppn.Run(input).Bytes, other.Run(input).Bytes);
    }

    [Fact]
    public void Image_is_rgb_at_the_requested_size_and_its_digest_covers_the_pixels()
    {
        var output = fixture.Cppn.Run(new TextToImageInput("forest", 1, 160, 128));
        var image = PngCodec.Decode(output.Bytes);
        Assert.Equal((160, 128, 3), (image.Width, image.Height, image.Channels));
        Assert.Equal(Digest.OfImage(image), output.Sha256);
    }

    [Fact]
    public void Different_prompts_give_visibly_different_images()
    {
        var prompts = new[] { "a red fox in the snow", "blue ocean waves at night", "a cat", "city lights" };
        var images = prompts.Select(p => PngCodec.Decode(fixture.Cppn.Run(new TextToImageInput(p, 0, 128, 128)).Bytes)).ToList();
        for (var i = 0; i < images.Count; i++)
        {
            for (var j = i + 1; j < images.Count; j++)
            {
                Assert.True(MeanAbsoluteDifference(images[i], images[j]) > 20, $"'{prompts[i]}' and '{prompts[j]}' look alike");
            }
        }

        // Not a flat colour either: the pattern has structure.
        Assert.True(StandardDeviation(images[0]) > 20);
    }

    [Fact]
    public void Different_seeds_vary_the_image_of_one_prompt()
    {
        var a = PngCodec.Decode(fixture.Cppn.Run(new TextToImageInput("a cat", 1, 128, 128)).Bytes);
        var b = PngCodec.Decode(fixture.Cppn.Run(new TextToImageInput("a cat", 2, 128, 128)).Bytes);
        Assert.True(MeanAbsoluteDifference(a, b) > 5);
    }

    [Fact]
    public void Prompt_embedding_ignores_case_and_punctuation_but_not_words()
    {
        var a = PromptEmbedding.Latent("A red fox!", 0, 32, 8);
        Assert.Equal(a, PromptEmbedding.Latent("a  RED fox", 0, 32, 8));
        Assert.NotEqual(a, PromptEmbedding.Latent("a red box", 0, 32, 8));
        Assert.NotEqual(a, PromptEmbedding.Latent("A red fox!", 1, 32, 8));
    }

    [Theory]
    [InlineData("", null, null, "empty")]
    [InlineData("  ...  ", null, null, "no words")]
    [InlineData("cat", 8, 128, "width 8 is outside")]
    [InlineData("cat", 128, 5000, "height 5000 is outside")]
    public void Out_of_limit_inputs_are_rejected_before_the_session(string prompt, int? width, int? height, string expected)
    {
        var e = Assert.Throws<InvalidModelInputException>(() => fixture.Cppn.Prepare(new TextToImageInput(prompt, 0, width, height)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Overlong_prompts_and_images_are_rejected()
    {
        Assert.Contains("limit is 1000", Assert.Throws<InvalidModelInputException>(
            () => fixture.Cppn.Prepare(new TextToImageInput(new string('a', 1001)))).Message);
        Assert.Contains("takes a prompt", Assert.Throws<InvalidModelInputException>(
            () => fixture.Cppn.Prepare(new ImageInput([1, 2, 3]))).Message);
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b) =>
        a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Average();

    private static double StandardDeviation(RgbImage image)
    {
        var mean = image.Pixels.Average(p => (double)p);
        return Math.Sqrt(image.Pixels.Average(p => (p - mean) * (p - mean)));
    }
}
