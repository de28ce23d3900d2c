using BenchmarkDotNet.Running;
using Cuckoo.Actors.Benchmarks;

if (args.Length > 0 && args[0] == "--ask-latency")
{
    var samples = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 200_000;
    await AskLatencyReport.RunAsync(samples);
    return;
}

if (args.Length > 0 && args[0] == "--tell-quick")
{
    TellQuickReport.Run(args.Length > 1 && int.TryParse(args[1], out var r) ? r : 7);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(TellThroughputBenchmarks).Assembly).Run(args);
