using BenchmarkDotNet.Running;
using Cuckoo.Persistence.Benchmarks;

// --sweep [writers] [events-per-writer] [rounds] [sqlite|postgresql|both]: the settings table of docs/benchmarks.md.
if (args.Length > 0 && args[0] == "--sweep")
{
    int Arg(int i, int fallback) => args.Length > i && int.TryParse(args[i], out var v) && v > 0 ? v : fallback;
    var store = args.Length > 4 ? args[4] : "both";
    await Sweep.RunAsync(Arg(1, 100), Arg(2, 100), Arg(3, 3), store is "sqlite" or "both", store is "postgresql" or "both");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
