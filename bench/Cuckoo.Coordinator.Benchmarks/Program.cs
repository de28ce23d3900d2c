using BenchmarkDotNet.Running;
using Cuckoo.Coordinator.Benchmarks;

if (args.Length > 0 && args[0] == "--latency")
{
    LatencyReport.Run(
        args.Length > 1 && int.TryParse(args[1], out var miners) ? miners : 100_000,
        args.Length > 2 && int.TryParse(args[2], out var samples) ? samples : 200_000);
    return;
}

if (args.Length > 0 && args[0] == "--scheduler")
{
    SchedulerThroughput.Run(
        args.Length > 1 && int.TryParse(args[1], out var tasks) ? tasks : 50_000,
        args.Length > 2 && int.TryParse(args[2], out var rounds) ? rounds : 3);
    return;
}

if (args.Length > 0 && args[0] == "--recovery")
{
    SchedulerRecovery.Run(
        args.Length > 1 && int.TryParse(args[1], out var tasks) ? tasks : 100_000,
        args.Length > 2 && int.TryParse(args[2], out var rounds) ? rounds : 3);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PickBenchmarks).Assembly).Run(args);
