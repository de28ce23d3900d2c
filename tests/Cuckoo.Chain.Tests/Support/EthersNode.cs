using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cuckoo.Chain.Tests.Support;

/// <summary>Runs ethers 6.17.0 under node on a batch of cases: one process per call, cases passed in a JSON file.</summary>
internal static class EthersNode
{
    private static readonly Lazy<string> Folder = new(FindFolder);

    /// <summary>Runs <paramref name="op"/> of crosscheck.mjs on every case and returns one result per case.</summary>
    public static async Task<JsonElement[]> RunAsync(string op, IEnumerable<JsonNode?> cases)
    {
        var folder = Folder.Value;
        var input = new JsonObject { ["op"] = op, ["cases"] = new JsonArray(cases.ToArray()) };
        var file = Path.Combine(Path.GetTempPath(), $"cuckoo-ethers-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, input.ToJsonString());
        try
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(folder, "crosscheck.mjs"));
            start.ArgumentList.Add(file);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node crosscheck.mjs {op} did not finish within 60 s.");
            }
            var output = await stdout;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node crosscheck.mjs {op} exited with {process.ExitCode}: {await stderr}");
            }
            var results = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
            return results;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string FindFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cuckoo.Actors.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("Cannot find the repository root (Cuckoo.Actors.sln) above the test binaries.");
        }
        var folder = Path.Combine(dir.FullName, "tests", "Cuckoo.Chain.Tests", "ethers");
        if (!File.Exists(Path.Combine(folder, "node_modules", "ethers", "package.json")))
        {
            throw new InvalidOperationException($"ethers is not installed in {folder}: run ./build.sh setup (or npm ci there).");
        }
        return folder;
    }
}
