using BenchmarkDotNet.Attributes;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Registry;

namespace Cuckoo.Coordinator.Benchmarks;

/// <summary>
/// One pick among <see cref="Miners"/> weighted miners: the Fenwick sampler against the linear cumulative scan, on the
/// same precomputed draws; then the sampler with its own draw, and the directory's pick (with and without three
/// miners excluded). Percentiles per pick come from <c>--latency</c> (see Program).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class PickBenchmarks
{
    private const int Batch = 1_024;

    private Population _population = null!;
    private UInt128[] _draws = null!;
    private Random _rng = null!;
    private HashSet<Address> _exclude = null!;

    [Params(100_000)]
    public int Miners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _population = new Population(Miners);
        _draws = _population.Draws(Batch, seed: 2);
        // Unseeded, as the registry runs by default (a seeded Random is a slower generator).
        _rng = new Random();
        _exclude = [_population.Miners[10], _population.Miners[Miners / 2], _population.Miners[^1]];
    }

    // The scan takes ~0.1 ms a pick: 64 per invocation are enough for a stable measurement.
    [Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int Linear_scan_pick()
    {
        var last = 0;
        for (var i = 0; i < 64; i++) last = Population.ScanPick(_population.Weights, _draws[i]);
        return last;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Fenwick_pick()
    {
        var last = 0;
        foreach (var r in _draws) last = _population.Sampler.Pick(r);
        return last;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Fenwick_pick_with_draw()
    {
        var last = 0;
        for (var i = 0; i < Batch; i++) last = _population.Sampler.Pick(_rng);
        return last;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public Address Directory_pick()
    {
        Address last = default;
        for (var i = 0; i < Batch; i++) _population.Directory.TryPick(Population.Model, null, _rng, out last);
        return last;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public Address Directory_pick_excluding_three()
    {
        Address last = default;
        for (var i = 0; i < Batch; i++) _population.Directory.TryPick(Population.Model, _exclude, _rng, out last);
        return last;
    }
}
