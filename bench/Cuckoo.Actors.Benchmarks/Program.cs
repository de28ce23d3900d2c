using BenchmarkDotNet.Running;
using Cuckoo.Actors.Benchmarks;

if (args.Length > 0 && args[0] == "--ask-latency")
{
    await AskLatencyReport.RunAsync(args.Length > 1 && int.TryParse(args[1], out var n) ? n : 200_000);
    return;
}

if (args.Length > 0 && args[0] == "--tell-quick")
{
    TellQuickReport.Run(
        args.Length > 1 && int.TryParse(args[1], out var r) ? r : 7,
        args.Length > 2 && int.TryParse(args[2], out var t) ? t : null);
    return;
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(TellThroughputBenchmarks).Assembly).Run(args);

// BenchmarkDotNet reports means; the Ask percentiles come from a recording loop, run whenever the Ask benchmark ran.
if (summaries.Any(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(AskLatencyBenchmarks))))
{
    await AskLatencyReport.RunAsync(100_000);
}
