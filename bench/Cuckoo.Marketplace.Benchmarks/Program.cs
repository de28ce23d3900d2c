using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cuckoo.EndToEnd.Tests;
using Cuckoo.Inference.Benchmarks;
using Cuckoo.Inference.Models;
using Cuckoo.Staking.Devnet;

// End to end through the gateway against the bare sessions of the same miners' cores, side by side in one run, and the
// time from a dead miner to its task running elsewhere. `-- [tasks per round] [rounds] [kills] [--shared-cores] [--cuda]`;
// the build's `--filter *` is ignored. `--cuda`: the miners run `--cuda` and the bare sessions use the CUDA provider,
// and the run stops unless both really got a CUDA session (a CPU fallback must not pose as a GPU figure).
var numbers = args.Where(a => int.TryParse(a, out _)).Select(int.Parse).ToArray();
var perRound = numbers.ElementAtOrDefault(0) is > 0 and var t ? t : 60;
var rounds = numbers.ElementAtOrDefault(1) is > 0 and var r ? r : 3;
var kills = numbers.ElementAtOrDefault(2) is > 0 and var k ? k : 5;
const int Miners = 2;
const int Size = 256;

// The miners' cores: the upper half of the machine runs the miners and, in its phase, the bare sessions; the lower half
// runs the chain, the coordinator and this app. The goal compares the miners' cores with and without the system around
// them, so the coordinator's work must not be taken from them (as it is not on an operator's separate machines).
// `--shared-cores` runs everything everywhere instead, as on one developer's laptop.
var cuda = args.Contains("--cuda");
var cores = Environment.ProcessorCount;
var pinned = cores >= 2 && !args.Contains("--shared-cores");
var minerCores = pinned ? $"{cores / 2}-{cores - 1}" : null;
var otherCores = pinned ? $"0-{cores / 2 - 1}" : null;
Console.WriteLine(pinned ? $"miners and bare sessions on cores {minerCores}; chain, coordinator and app on {otherCores}" : "every process on every core");
Pin(Environment.ProcessId, otherCores);

var fixture = new ClusterFixture();
await fixture.InitializeAsync();
try
{
    await using var nodes = new Nodes(fixture);
    // Random audits (8% of tasks run twice by default) are trust's cost, measured by `cuckoo sim`; here each task is one run,
    // as in the bare loop.
    var coordinator = nodes.StartCoordinator(environment: new Dictionary<string, string> { ["CUCKOO_HOCON"] = "cuckoo.scheduler.audit-rate = 0" });
    Pin(fixture.Node.Pid, otherCores);
    Pin(coordinator.Process.Pid, otherCores);
    await coordinator.UpAsync();
    var miner1 = StartMiner(nodes, "miner-1", null, minerCores, otherCores, cuda);
    var miner2 = StartMiner(nodes, "miner-2", null, minerCores, otherCores, cuda);
    using var app = coordinator.Client();
    using var admin = new AdminProbe(coordinator.AccessFile);
    await app.WaitForMinersAsync(Miners, Nodes.StartTimeout);
    if (cuda)
    {
        foreach (var miner in new[] { miner1, miner2 })
        {
            await miner.WaitForLineAsync(l => l.Contains("serving cuckoo-cppn on CUDAExecutionProvider", StringComparison.Ordinal)
                || l.Contains("CUDA was asked for", StringComparison.Ordinal), Nodes.StartTimeout, "the miner's provider");
            if (!miner.Output.Contains("serving cuckoo-cppn on CUDAExecutionProvider", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"--cuda, but {miner.Name} runs on CPU: {miner.Lines.Last(l => l.Contains("CUDA was asked for", StringComparison.Ordinal))}");
            }
        }
    }

    // The baseline: one bare session per miner (ONNX Runtime's default threads, as the miners run), both at once.
    var bare = Enumerable.Range(0, Miners).Select(_ => new Workload("cuckoo-cppn", threads: 0, cuda ? ExecutionProviderKind.Cuda : ExecutionProviderKind.Cpu)).ToArray();
    if (cuda && bare.FirstOrDefault(w => !w.Provider.IsGpu) is { } fellBack)
    {
        throw new InvalidOperationException($"--cuda, but the bare session has no CUDA session: {fellBack.Provider.FallbackReason}");
    }
    TimeSpan MinersCpu() => ProcessCpu(miner1.Pid) + ProcessCpu(miner2.Pid);
    // Freshly started nodes spend their first few hundred tasks recompiling the hot paths (tiered JIT: the miners' JIT
    // thread took a tenth of their core through a first round of 600), which long-running miners do not pay.
    // Twice, each time until the miners are quiet: the JIT's recompiling starts seconds after a burst, not at its end.
    for (var warm = 0; warm < 2; warm++)
    {
        await Gateway(app, 300, $"warm{warm}");
        Console.WriteLine($"warm-up {warm}: miners settled in {(await Settle(MinersCpu)).TotalSeconds:F1} s");
    }
    List<double> bareRates = [], gatewayRates = [], latencies = [], bareCpu = [], minerCpu = [], busy = [];
    for (var round = 0; round < rounds; round++)
    {
        // After a burst a fresh miner recompiles what the burst ran (tiered JIT), taking up to a third of the core for
        // seconds, which a long-running miner no longer does: the bare round starts once that is done.
        var settled = await Settle(MinersCpu);
        Console.WriteLine($"miners settled in {settled.TotalSeconds:F1} s");
        // The miners idle meanwhile (their heartbeats aside), and this process runs on the miners' cores.
        Pin(Environment.ProcessId, minerCores);
        var clock = Stopwatch.StartNew();
        var (cpu, idleMiners, bareCores) = (ProcessCpu(Environment.ProcessId), MinersCpu(), CoreTimes(minerCores));
        await Task.WhenAll(bare.Select(w => Task.Run(() => { for (var i = 0; i < perRound / Miners; i++) { w.RunBare(); } })));
        bareRates.Add(perRound / clock.Elapsed.TotalSeconds);
        bareCpu.Add((ProcessCpu(Environment.ProcessId) - cpu).TotalMilliseconds / perRound);
        Console.WriteLine($"bare round {round}: cores busy {Busy(bareCores, CoreTimes(minerCores)):P0}, idle miners took {(MinersCpu() - idleMiners).TotalMilliseconds:F0} ms");
        Pin(Environment.ProcessId, otherCores);
        // Where the miners' cores go: their CPU time per task against the bare sessions' per image, and how busy the
        // cores were (idle time there is work the miners waited for, not work they did).
        var (miners, gatewayCores) = (MinersCpu(), CoreTimes(minerCores));
        var (rate, taskLatencies) = await Gateway(app, perRound, $"r{round}");
        minerCpu.Add((MinersCpu() - miners).TotalMilliseconds / perRound);
        busy.Add(Busy(gatewayCores, CoreTimes(minerCores)));
        gatewayRates.Add(rate);
        latencies.AddRange(taskLatencies);
    }
    foreach (var w in bare)
    {
        await w.DisposeAsync();
    }
    var bareRate = Median(bareRates);
    var gatewayRate = Median(gatewayRates);
    // Each round's pair ran back to back, so its ratio is the least touched by load from elsewhere.
    var ratios = bareRates.Zip(gatewayRates, (b, g) => g / b).ToList();
    Console.WriteLine($"rounds (bare, gateway images/s, ratio): {string.Join("; ", bareRates.Zip(gatewayRates, ratios).Select(x => $"{x.First:F1}, {x.Second:F1}, {x.Third:F2}"))}");
    Console.WriteLine($"median of the rounds' ratios: {Median(ratios):F2}");
    Console.WriteLine($"CPU per image: bare {Median(bareCpu):F1} ms, miners {Median(minerCpu):F1} ms per task; miners' cores busy {Median(busy):P0} in the gateway rounds");
    Console.WriteLine($"| path | images/s (median of {rounds} rounds of {perRound}) | p50 ms | p99 ms | ÷ bare sessions |");
    Console.WriteLine("|---|---|---|---|---|");
    Console.WriteLine($"| {Miners} bare session.Run, in parallel | {bareRate:F1} | | | 1.00 |");
    Console.WriteLine($"| gateway → scheduler → {Miners} miners (HTTP, cluster, signed results) | {gatewayRate:F1} | {Percentile(latencies, 50):F0} | {Percentile(latencies, 99):F0} | {gatewayRate / bareRate:F2} |");

    // A dead miner: frozen (from then on it answers nothing, as a machine that died), holding a task; the time from the
    // freeze until that task runs on the other miner. It is SIGKILLed only after, and a new incarnation (on a new port)
    // is Up and reachable in the cluster before the next round, so that no round starts while the cluster still sorts
    // out the last one.
    var miner1Address = DevAccounts.ByRole("miner-1").Address.ToString();
    var miner2Address = DevAccounts.ByRole("miner-2").Address.ToString();
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
            var status = await Until(app, id, s => s.GetProperty("status").GetString() is "assigned" or "running" or "completed");
            if (status.GetProperty("miner").GetString()!.Equals(miner1Address, StringComparison.OrdinalIgnoreCase))
            {
                orphan = id;
            }
        }
        await Until(app, orphan!, s => s.GetProperty("status").GetString() is "running" or "completed"
            && s.GetProperty("miner").GetString()!.Equals(miner2Address, StringComparison.OrdinalIgnoreCase));
        reassigned.Add(clock.Elapsed.TotalSeconds);
        await app.WaitFinalAsync(orphan!, TimeSpan.FromSeconds(60));
        miner1.Kill();
        await admin.WaitForAsync(m => !m.Any(x => x.Miner is { } a && a.Equals(miner1Address, StringComparison.OrdinalIgnoreCase)),
            Nodes.StartTimeout, "the dead miner-1 removed");
        var port = ClusterFixture.FreePort();
        miner1 = StartMiner(nodes, "miner-1", port, minerCores, otherCores, cuda);
        await admin.WaitForAsync(m => m.Any(x => x.Address.EndsWith($":{port}", StringComparison.Ordinal) && x.Status == "Up" && x.Reachable),
            Nodes.StartTimeout, "the new miner-1 Up");
        await app.WaitForMinersAsync(Miners, Nodes.StartTimeout);
    }
    Console.WriteLine();
    Console.WriteLine($"dead miner (SIGSTOP) → its task running on the other miner: median {Median(reassigned):F1} s over {kills} deaths (all: {string.Join(", ", reassigned.Select(s => s.ToString("F1")))} s)");
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

// Waits until the miners together take under a fifth of a core in each of five seconds in a row (idle miners take about
// a tenth; the JIT starts its recompiling only once a burst has been over for a moment), for at most a minute; how long
// that took.
static async Task<TimeSpan> Settle(Func<TimeSpan> minersCpu)
{
    var clock = Stopwatch.StartNew();
    for (var quiet = 0; quiet < 5 && clock.Elapsed < TimeSpan.FromMinutes(1);)
    {
        var before = minersCpu();
        await Task.Delay(TimeSpan.FromSeconds(1));
        quiet = minersCpu() - before < TimeSpan.FromMilliseconds(200) ? quiet + 1 : 0;
    }
    return clock.Elapsed;
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

// A miner is started on its cores (a child inherits this process's affinity), not moved there later: ONNX Runtime sizes
// its intra-op pool by the cores a process may use when the session is made, as an operator's miner would see them.
static NodeProcess StartMiner(Nodes nodes, string name, int? port, string? cores, string? appCores, bool cuda)
{
    Pin(Environment.ProcessId, cores);
    try
    {
        return nodes.StartMiner(name, name, clusterPort: port, extraArgs: cuda ? ["--cuda"] : null);
    }
    finally
    {
        Pin(Environment.ProcessId, appCores);
    }
}

// Every thread of the process onto the cores (taskset -a); threads started later inherit it. Nothing when not pinning.
static void Pin(int pid, string? cores)
{
    if (cores is null)
    {
        return;
    }
    using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cores, pid.ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    taskset.WaitForExit();
    if (taskset.ExitCode != 0)
    {
        throw new InvalidOperationException($"taskset could not pin {pid} to cores {cores}: {taskset.StandardError.ReadToEnd()}");
    }
}

// A process's user and system time so far, read fresh.
static TimeSpan ProcessCpu(int pid)
{
    using var process = Process.GetProcessById(pid);
    return process.TotalProcessorTime;
}

// The share of ticks between two readings of CoreTimes that the cores were not idle.
static double Busy((long Idle, long Total) before, (long Idle, long Total) after) =>
    1 - (after.Idle - before.Idle) / (double)Math.Max(1, after.Total - before.Total);

// Idle and total ticks of the cores in a range such as "1-1" (all cores when null), from /proc/stat.
static (long Idle, long Total) CoreTimes(string? cores)
{
    var (from, to) = cores is null ? (0, int.MaxValue) : (int.Parse(cores.Split('-')[0]), int.Parse(cores.Split('-')[1]));
    long idle = 0, total = 0;
    foreach (var line in File.ReadLines("/proc/stat"))
    {
        if (line.StartsWith("cpu", StringComparison.Ordinal) && char.IsDigit(line[3]) && int.Parse(line[3..line.IndexOf(' ')]) is var n && n >= from && n <= to)
        {
            var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            idle += ticks[3] + ticks[4];
            total += ticks.Take(8).Sum();
        }
    }
    return (idle, total);
}

static double Median(List<double> values) => Percentile(values, 50);

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
