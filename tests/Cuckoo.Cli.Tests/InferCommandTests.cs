using System.Diagnostics;
using System.Text.Json;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

/// <summary>`cuckoo infer` through a real GPU worker on ONNX Runtime's CPU provider, with the repository's catalog.</summary>
public sealed class InferCommandTests : IDisposable
{
    /// <summary>The digest of "a cuckoo at dawn", seed 5, 64×64 (recorded before the move to the packages; see CppnModelTests).</summary>
    private const string DawnDigest = "e4601c872ea8118ae0e4e86761e5a97866ca64e8e4ef7c9560742b93d0438dc1";

    private static readonly string Root = RepositoryRoot();
    private static readonly string Catalog = Path.Combine(Root, "config", "models.json");

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
        Assert.Equal(DawnDigest, first.GetProperty("sha256").GetString());
        Assert.Equal(DawnDigest, again.GetProperty("sha256").GetString());
        Assert.NotEqual(DawnDigest, other.GetProperty("sha256").GetString());
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
            "--out", Path.Combine(_dir, "big.png"), "--catalog", Catalog, "--json");

        Assert.Equal(2, result.Code);
        Assert.Equal("width 100000 is outside the allowed range 16..1024", JsonDocument.Parse(result.Out).RootElement.GetProperty("error").GetString());
        Assert.False(File.Exists(Path.Combine(_dir, "big.png")));
    }

    [Fact]
    public async Task Out_into_a_missing_folder_creates_it()
    {
        var target = Path.Combine(_dir, "new", "nested", "dawn.png");
        var result = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", "a cuckoo at dawn", "--seed", "5",
            "--width", "64", "--height", "64", "--out", target, "--catalog", Catalog);

        Assert.True(result.Code == 0, result.ToString());
        Assert.Contains($"wrote {target}", result.Out);
        Assert.True(File.Exists(target));
    }

    [Fact]
    public async Task Out_that_cannot_be_written_gets_one_sentence()
    {
        var blocker = Path.Combine(_dir, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var underFile = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", "cat", "--width", "16", "--height", "16",
            "--out", Path.Combine(blocker, "x.png"), "--catalog", Catalog);
        var folder = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", "cat", "--out", _dir, "--catalog", Catalog);

        Assert.Equal(2, underFile.Code);
        Assert.StartsWith($"cuckoo infer: cannot write {Path.Combine(blocker, "x.png")}", underFile.Err);
        Assert.Equal(2, folder.Code);
        Assert.Contains("is a folder", folder.Err);
        foreach (var result in new[] { underFile, folder })
        {
            Assert.Single(result.Err.TrimEnd().Split('\n'));
            Assert.DoesNotContain("   at ", result.Err);
        }
    }

    [Fact]
    public async Task Prompt_file_gives_the_same_image_as_the_same_prompt_inline()
    {
        var file = Path.Combine(_dir, "prompt.txt");
        await File.WriteAllTextAsync(file, "a cuckoo at dawn\n");
        var fromFile = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt-file", file, "--seed", "5",
            "--width", "64", "--height", "64", "--out", Path.Combine(_dir, "f.png"), "--catalog", Catalog, "--json");

        Assert.True(fromFile.Code == 0, fromFile.ToString());
        Assert.Equal(DawnDigest, JsonDocument.Parse(fromFile.Out).RootElement.GetProperty("sha256").GetString());

        // A long prompt within the limit (lines, punctuation) runs too.
        var longPrompt = string.Join('\n', Enumerable.Range(0, 30).Select(i => $"line {i}: a cuckoo, a heron;"));
        await File.WriteAllTextAsync(file, longPrompt);
        var longResult = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt-file", file, "--width", "16", "--height", "16",
            "--out", Path.Combine(_dir, "long.png"), "--catalog", Catalog);
        Assert.True(longResult.Code == 0, longResult.ToString());
    }

    [Fact]
    public async Task Prompt_over_the_model_limit_is_refused_with_a_sentence()
    {
        var file = Path.Combine(_dir, "long.txt");
        await File.WriteAllTextAsync(file, new string('a', 60_000));
        var fromFile = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt-file", file, "--out", Path.Combine(_dir, "x.png"), "--catalog", Catalog);
        var inline = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", new string('a', 60_000), "--out", Path.Combine(_dir, "x.png"),
            "--catalog", Catalog, "--json");

        Assert.Equal(2, fromFile.Code);
        Assert.Equal("cuckoo infer: the prompt has 60000 characters; model 'cuckoo-cppn' takes at most 1000", fromFile.Err.TrimEnd());
        Assert.Equal(2, inline.Code);
        Assert.Equal(2, JsonDocument.Parse(inline.Out).RootElement.GetProperty("exitCode").GetInt32());
        Assert.False(File.Exists(Path.Combine(_dir, "x.png")));
    }

    [Fact]
    public async Task Prompt_and_prompt_file_together_or_a_missing_prompt_file_are_refused()
    {
        var both = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", "cat", "--prompt-file", Catalog, "--out", Path.Combine(_dir, "x.png"), "--catalog", Catalog);
        var missing = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt-file", Path.Combine(_dir, "nope.txt"), "--out", Path.Combine(_dir, "x.png"), "--catalog", Catalog);

        Assert.Equal((2, 2), (both.Code, missing.Code));
        Assert.Contains("not both", both.Err);
        Assert.Contains("does not exist", missing.Err);
    }

    [Fact]
    public async Task Cuda_without_a_gpu_runs_on_cpu_and_says_why_without_noise_on_stderr()
    {
        var result = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", "cat", "--width", "16", "--height", "16",
            "--provider", "cuda", "--out", Path.Combine(_dir, "c.png"), "--catalog", Catalog, "--json");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal("", result.Err);
        var json = JsonDocument.Parse(result.Out).RootElement;
        if (!File.Exists("/dev/nvidia0"))
        {
            Assert.Equal("CPUExecutionProvider", json.GetProperty("provider").GetString());
            Assert.Contains("CUDA 13 and cuDNN 9", json.GetProperty("fallback").GetString());
        }
    }

    /// <summary>
    /// An argument of about 60 KB once made the process abort with code 134: the vendored ONNX Runtime's telemetry
    /// parsed /proc/self/cmdline with a recursive regex and overflowed a thread-pool thread's stack. Only a real
    /// process has that command line, so this runs the built executable.
    /// </summary>
    [Fact]
    public async Task Executable_with_a_60_kb_argument_runs_and_leaves_no_telemetry_behind()
    {
        var home = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;
        var seed = new string('0', 60_000) + "5"; // 60 KB of digits that parse as 5
        var ok = await RunExecutableAsync(home, "infer", "--model", "cuckoo-cppn", "--prompt", "a cuckoo at dawn", "--seed", seed,
            "--width", "64", "--height", "64", "--out", Path.Combine(_dir, "big-arg.png"), "--catalog", Catalog, "--json");
        var tooLong = await RunExecutableAsync(home, "infer", "--model", "cuckoo-cppn", "--prompt", new string('a', 60_000),
            "--out", Path.Combine(_dir, "x.png"), "--catalog", Catalog);

        Assert.True(ok.Code == 0, ok.ToString());
        Assert.Equal(DawnDigest, JsonDocument.Parse(ok.Out).RootElement.GetProperty("sha256").GetString());
        Assert.Equal(2, tooLong.Code);
        Assert.Equal("cuckoo infer: the prompt has 60000 characters; model 'cuckoo-cppn' takes at most 1000", tooLong.Err.TrimEnd());
        // ONNX Runtime's telemetry (on by default in its Linux build) would have written here.
        Assert.False(Directory.Exists(Path.Combine(home, ".cache", "Microsoft")), "ONNX Runtime telemetry wrote under HOME");
    }

    private async Task<JsonElement> InferAsync(string prompt, int seed, string file)
    {
        var result = await RunAsync("infer", "--model", "cuckoo-cppn", "--prompt", prompt, "--seed", seed.ToString(),
            "--width", "64", "--height", "64", "--out", Path.Combine(_dir, file), "--catalog", Catalog, "--json");
        Assert.True(result.Code == 0, result.ToString());
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    /// <summary>Runs the `cuckoo` executable built next to the tests, with HOME set to <paramref name="home"/>.</summary>
    private static async Task<CliRunResult> RunExecutableAsync(string home, params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "cuckoo");
        Assert.True(File.Exists(exe), $"{exe} is missing: the Cli project's apphost is copied next to its tests");
        var start = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = home;
        start.Environment.Remove("ORT_DISABLE_TELEMETRY");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRunResult(process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")) && File.Exists(Path.Combine(dir.FullName, "config", "models.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the tests run outside the repository");
    }
}
