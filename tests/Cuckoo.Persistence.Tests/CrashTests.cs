using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace Cuckoo.Persistence.Tests;

/// <summary>
/// Kills a process whose Akka persistent actors persist in a loop on SQLite (SIGKILL, no shutdown hooks) and checks
/// that every event whose handler ran is recovered exactly once and in order, and nothing else but the at most one
/// write per actor that was in flight. Run with fsync per commit (Full) and without (Normal, which must survive a
/// killed process as well; only power loss may cost it commits).
/// </summary>
public sealed class CrashTests : IDisposable
{
    private const int Actors = 4;
    private const int LinesBeforeKill = 400;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("full")]
    [InlineData("normal")]
    public async Task Events_whose_handler_ran_survive_SIGKILL_exactly_once_and_in_order(string synchronous)
    {
        var db = _dir.File("crash.db");
        var printed = await PersistUntilKilledAsync(db, synchronous);
        var recovered = await RecoverAsync(db);

        Assert.True(printed.Values.Sum(v => v.Count) >= LinesBeforeKill);
        Assert.Equal(printed.Keys.Order(), recovered.Events.Keys.Order());
        foreach (var (id, handled) in printed)
        {
            var replayed = recovered.Events[id];
            Assert.Equal(Enumerable.Range(1, replayed.Count).Select(i => (long)i), replayed);
            Assert.Equal(Enumerable.Range(1, handled.Count).Select(i => (long)i), handled);

            // Every handled event is back; at most the one write in flight at the kill was durable but unhandled.
            Assert.InRange(replayed.Count, handled.Count, handled.Count + 1);
            Assert.Equal(replayed.Count, recovered.Last[id]);
        }
    }

    private async Task<Dictionary<string, List<long>>> PersistUntilKilledAsync(string db, string synchronous)
    {
        using var process = StartHost("persist", db, synchronous);
        var lines = new ConcurrentQueue<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Enqueue(line);
                if (lines.Count >= LinesBeforeKill)
                {
                    enough.TrySetResult();
                }
            }
        });
        var stderr = process.StandardError.ReadToEndAsync();

        var first = await Task.WhenAny(enough.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != enough.Task)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The persisting host printed {lines.Count} lines before {(process.HasExited ? "exiting" : "the deadline")}: {await stderr}");
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        await reader; // lines still in the pipe were printed before the kill: their handlers ran
        return Parse(lines, "P").Events;
    }

    private async Task<(Dictionary<string, List<long>> Events, Dictionary<string, long> Last)> RecoverAsync(string db)
    {
        using var process = StartHost("recover", db);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"recovery exited with {process.ExitCode}: {await stderr}");

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var done = Parse(lines, "D").Events;
        Assert.Equal(Actors, done.Count);
        return (Parse(lines, "R").Events, done.ToDictionary(d => d.Key, d => Assert.Single(d.Value)));
    }

    /// <summary>Lines look like <c>P counter-0 17 ;</c>; a line cut short by the kill lacks the final <c>;</c> and is ignored.</summary>
    private static (Dictionary<string, List<long>> Events, int Ignored) Parse(IEnumerable<string> lines, string kind)
    {
        var events = new Dictionary<string, List<long>>();
        var ignored = 0;
        foreach (var line in lines)
        {
            var parts = line.Trim().Split(' ');
            if (parts is not [var k, var id, var n, ";"] || !long.TryParse(n, out var value))
            {
                ignored++;
                continue;
            }

            if (k == kind)
            {
                if (!events.TryGetValue(id, out var list))
                {
                    events[id] = list = [];
                }

                list.Add(value);
            }
        }

        return (events, ignored);
    }

    private static Process StartHost(string mode, string db, string synchronous = "full")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { CrashHostDll(), mode, db, Actors.ToString(), synchronous })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the crash host");
    }

    /// <summary>The crash host is built beside this test project (a build-only project reference); same configuration.</summary>
    private static string CrashHostDll()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var tests = tfm.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(tests, "Cuckoo.Persistence.CrashHost", "bin", configuration, tfm.Name, "Cuckoo.Persistence.CrashHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build tests/Cuckoo.Persistence.CrashHost first ({dll} is missing).", dll);
    }
}
