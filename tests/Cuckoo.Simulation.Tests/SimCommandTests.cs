using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Cuckoo.Simulation.Tests;

/// <summary>`cuckoo sim` as a user runs it: the built executable in its own process.</summary>
public sealed class SimCommandTests
{
    [Theory]
    [InlineData("--miners", "1")]
    [InlineData("--fake-rate", "2")]
    [InlineData("--audit-rate", "-0.1")]
    [InlineData("--miners", "4", "--fakers", "3", "--crashers", "2")]
    [InlineData("--colluders", "1")]
    [InlineData("--tasks", "0")]
    [InlineData("--verify", "9")]
    [InlineData("--miners", "many")]
    [InlineData("--no-such-option")]
    public async Task Bad_arguments_exit_with_code_2_and_a_clear_error_without_a_stack_trace(params string[] args)
    {
        var result = await CuckooAsync(["sim", .. args]);

        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Out);
        var first = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.Matches("^(cuckoo sim: |error: )", first);
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Fact]
    public async Task Json_output_parses_and_carries_the_figures()
    {
        var result = await CuckooAsync(["sim", "--miners", "5", "--fakers", "1", "--crashers", "1", "--tasks", "300", "--seed", "3", "--json"]);

        Assert.True(result.Code == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(300, root.GetProperty("tasks").GetInt32());
        Assert.Equal(300, root.GetProperty("completed").GetInt32() + root.GetProperty("failed").GetInt32());
        Assert.Equal(1, root.GetProperty("liars").GetInt32());
        Assert.True(root.GetProperty("redundancyOverhead").GetDouble() >= 0);
        Assert.Equal(5, root.GetProperty("miners").GetArrayLength());
        Assert.Contains(root.GetProperty("miners").EnumerateArray(), m => m.GetProperty("kind").GetString() == "faker");
        Assert.Equal(3, root.GetProperty("settings").GetProperty("seed").GetInt32());
    }

    [Fact]
    public async Task The_table_names_every_figure()
    {
        var result = await CuckooAsync(["sim", "--miners", "4", "--fakers", "1", "--crashers", "1", "--tasks", "200"]);

        Assert.True(result.Code == 0, result.ToString());
        foreach (var figure in new[] { "detection rate", "tasks until jailed", "false accusations", "redundancy overhead", "faked outputs delivered", "tasks failed", "goal" })
        {
            Assert.Contains(figure, result.Out);
        }
    }

    private static async Task<(int Code, string Out, string Err)> CuckooAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cuckoo.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
