using Cuckoo.Persistence.Benchmarks;

// [--sweep [writers] [events-per-writer] [rounds] [sqlite|postgresql|both]]: the tables of docs/benchmarks.md.
// Any other arguments (./build.sh bench passes BenchmarkDotNet's --filter '*') run the sweep with its defaults: the
// sweep is a custom harness, because BenchmarkDotNet's repeated invocations of one step would take minutes per step.
var sweep = args.Length > 0 && args[0] == "--sweep";
int Arg(int i, int fallback) => sweep && args.Length > i && int.TryParse(args[i], out var v) && v > 0 ? v : fallback;
var store = sweep && args.Length > 4 ? args[4] : "both";
if (store is not ("sqlite" or "postgresql" or "both"))
{
    Console.Error.WriteLine($"The store must be sqlite, postgresql or both, not '{store}'.");
    return 2;
}

await Sweep.RunAsync(Arg(1, 100), Arg(2, 40), Arg(3, 3), store is "sqlite" or "both", store is "postgresql" or "both");
return 0;
