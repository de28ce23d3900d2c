using System.Text.Json;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

/// <summary>`cuckoo infer` through a real GPU worker on ONNX Runtime's CPU provider, with the repository's catalog.</summary>
public sealed class InferCommandTests : IDisposable
{
    private static readonly string Catalog = Path.Combine(RepositoryRoot(), "config", "models.json");

    private readonly string _dir = Directory.CreateTempSubdirectory("cuckoo-cli-infer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Infer_writes_the_image_and_reports_its_digest_the_same_for_the_same_seed()
    {
        var first = await InferAsync("a cuckoo at dawn", 5, "first.png");
        var again = await InferAsync("a cuckoo at dawn", 5, "again.png");
        var other = await InferAsync("a heron at dusk", 5, "other.png");

        var bytes = await File.ReadAllBytesAsync(first.GetProperty("file").GetString()!);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(bytes.Length, first.GetProperty("bytes").GetInt32());
        Assert.Equal("CPUExecutionProvider", first.GetProperty("provider").GetString());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(again.GetProperty("file").GetString()!));
        Assert.Equal(first.GetProperty("sha256").GetString(), again.GetProperty("sha256").GetString());
        Assert.NotEqual(first.GetProperty("sha256").GetString(), other.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Infer_refuses_an_unknown_model_with_the_bad_input_code()
    {
        var result = await RunAsync("infer", "--model", "no-such-model", "--prompt", "x", "--out", Path.Combine(_dir, "x.png"), "--catalog", Catalog);

        Assert.Equal(2, result.Code);
        Assert.Contains("no-such-model", result.Err);
        Assert.False(File.Exists(Path.Combine(_dir, "x.png")));
    }

    [Fact]
    public async Task Infer_refuses_a_missing_prompt_and_a_missing_image()
    {
        var noPrompt = await RunAsync("infer", "--model", "cuckoo-cppn", "--out", Path.Combine(_dir, "x.png"), "--catalog", Catalog);
        var noImage = await RunAsync("infer", "--model", "ppocr-v4-det", "--image", Path.Combine(_dir, "missing.png"),
            "--out", Path.Combine(_dir, "x.json"), "--catalog", Catalog, "--json");

        Assert.Equal(2, noPrompt.Code);
        Assert.Contains("--prompt", noPrompt.Err);
        Assert.Equal(2, noImage.Code);
        Assert.Equal("bad-input", JsonDocument.Parse(noImage.Out).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Infer_rejects_an_image_size_beyond_the_catalog_limit_before_running()
    {
        var result = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", "x", "--width", "100000",
            "--out", Path.Combine(_dir, "big.png"), "--catalog", Catalog);

        Assert.NotEqual(0, result.Code);
        Assert.Contains("width", result.Err, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(_dir, "big.png")));
    }

    private async Task<JsonElement> InferAsync(string prompt, int seed, string file)
    {
        var result = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", prompt, "--seed", seed.ToString(),
            "--width", "64", "--height", "64", "--out", Path.Combine(_dir, file), "--catalog", Catalog, "--json");
        Assert.True(result.Code == 0, result.ToString());
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cuckoo.Actors.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("the tests run outside the repository");
    }
}
