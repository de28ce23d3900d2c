using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cuckoo.EndToEnd.Tests;
using Cuckoo.Inference.Benchmarks;
using Cuckoo.Staking.Devnet;

// End to end through the gateway against the bare sessions of the same miners, side by side in one run, and the time
// from a dead miner to its task running elsewhere. `-- [tasks per round] [rounds] [kills]`; the build's `--filter *` is ignored.
var numbers = args.Where(a => int.TryParse(a, out _)).Select(int.Parse).ToArray();
var perRound = numbers.ElementAtOrDefault(0) is > 0 and var t ? t : 60;
var rounds = numbers.ElementAtOrDefault(1) is > 0 and var r ? r : 3;
var kills = numbers.ElementAtOrDefault(2) is > 0 and var k ? k : 5;
const int Miners = 2;
const int Size = 256;

var fixture = new ClusterFixture();
await fixture.InitializeAsync();
try
{
    await using var nodes = new Nodes(fixture);
    var coordinator = nodes.StartCoordinator();
    await coordinator.UpAsync();
    var miner1 = nodes.StartMiner("miner-1", "miner-1");
    nodes.StartMiner("miner-2", "miner-2");
    using var app = coordinator.Client();
    await app.WaitForMinersAsync(Miners, Nodes.StartTimeout);

    // The baseline: one bare session per miner (ONNX Runtime's default threads, as the miners run), both at once.
    var bare = Enumerable.Range(0, Miners).Select(_ => new Workload("cuckoo-cppn", threads: 0)).ToArray();
    await Gateway(app, 8, "warm");
    List<double> bareRates = [], gatewayRates = [], latencies = [];
    for (var round = 0; round < rounds; round++)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(bare.Select(w => Task.Run(() => { for (var i = 0; i < perRound / Miners; i++) { w.RunBare(); } })));
        bareRates.Add(perRound / clock.Elapsed.TotalSeconds);
        var (rate, taskLatencies) = await Gateway(app, perRound, $"r{round}");
        gatewayRates.Add(rate);
        latencies.AddRange(taskLatencies);
    }
    foreach (var w in bare)
    {
        await w.DisposeAsync();
    }
    var bareRate = Median(bareRates);
    var gatewayRate = Median(gatewayRates);
    Console.WriteLine($"| path | images/s (median of {rounds} rounds of {perRound}) | p50 ms | p99 ms | ÷ bare sessions |");
    Console.WriteLine("|---|---|---|---|---|");
    Console.WriteLine($"| {Miners} bare session.Run, in parallel | {bareRate:F1} | | | 1.00 |");
    Console.WriteLine($"| gateway → scheduler → {Miners} miners (HTTP, cluster, signed results) | {gatewayRate:F1} | {Percentile(latencies, 50):F0} | {Percentile(latencies, 99):F0} | {gatewayRate / bareRate:F2} |");

    // A dead miner: frozen (from then on it answers nothing, as if its machine died), then SIGKILLed once it holds a
    // task; the time from the freeze until that task is assigned to the other miner.
    var reassigned = new List<double>();
    for (var kill = 0; kill < kills; kill++)
    {
        var clock = Stopwatch.StartNew();
        miner1.Freeze();
        string? orphan = null;
        for (var i = 0; orphan is null && i < 40; i++)
        {
            var id = $"kill-{kill}-{i}";
            await app.SubmitAsync(id, "a task whose miner dies", Size);
            var status = await Until(app, id, s => s.GetProperty("status").GetString() is "assigned" or "completed");
            if (status.GetProperty("miner").GetString()!.Equals(DevAccounts.ByRole("miner-1").Address.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                orphan = id;
            }
        }
        miner1.Kill();
        await Until(app, orphan!, s => s.TryGetProperty("attempt", out var a) && a.GetInt32() >= 2);
        reassigned.Add(clock.Elapsed.TotalSeconds);
        await app.WaitFinalAsync(orphan!, TimeSpan.FromSeconds(60));
        miner1 = nodes.StartMiner("miner-1", "miner-1");
        await app.WaitForMinersAsync(Miners, Nodes.StartTimeout);
    }
    Console.WriteLine();
    Console.WriteLine($"dead miner (SIGSTOP, then SIGKILL) → its task assigned to the other miner: median {Median(reassigned):F1} s over {kills} kills (all: {string.Join(", ", reassigned.Select(s => s.ToString("F1")))} s)");
}
finally
{
    await fixture.DisposeAsync();
}

// Submits `count` tasks, 16 in flight, and follows each by its event stream; the rate from the first submit to the last completion.
static async Task<(double Rate, List<double> Latencies)> Gateway(GatewayClient app, int count, string tag)
{
    using var slots = new SemaphoreSlim(16);
    var latencies = new List<double>();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        await slots.WaitAsync();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var (status, _, _) = await app.SubmitAsync($"bench-{tag}-{i}", $"bench prompt {i}", Size);
            if (status != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"submit answered {status}");
            }
            var events = await app.EventsAsync($"bench-{tag}-{i}", TimeSpan.FromMinutes(2));
            if (events[^1].Event != "completed")
            {
                throw new InvalidOperationException($"task {i} ended {events[^1].Event}: {events[^1].Data}");
            }
            lock (latencies)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        finally
        {
            slots.Release();
        }
    }));
    return (count / clock.Elapsed.TotalSeconds, latencies);
}

static async Task<JsonElement> Until(GatewayClient app, string id, Func<JsonElement, bool> condition)
{
    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
    while (DateTime.UtcNow < deadline)
    {
        var status = await app.StatusAsync(id);
        if (condition(status))
        {
            return status;
        }
        await Task.Delay(TimeSpan.FromMilliseconds(50));
    }
    throw new TimeoutException($"task {id}: condition not met within 60 s");
}

static double Median(List<double> values) => Percentile(values, 50);

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
