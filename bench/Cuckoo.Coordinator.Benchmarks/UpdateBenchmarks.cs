using System.Numerics;
using BenchmarkDotNet.Attributes;
using Cuckoo.Coordinator.Registry;

namespace Cuckoo.Coordinator.Benchmarks;

/// <summary>
/// One weight change among <see cref="Miners"/>: the scan's array write (O(1)), the sampler's Set (O(log n)), and the
/// directory's standing change of a miner in three model pools (O(models × log n)).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class UpdateBenchmarks
{
    private const int Batch = 1_024;

    private Population _population = null!;
    private int[] _slots = null!;
    // Two sets used in turn, so that every call changes a weight (the sampler skips a Set to the weight it has).
    private UInt128[][] _weights = null!;
    private UpdateStanding[][] _changes = null!;
    private int _turn;

    [Params(100_000)]
    public int Miners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _population = new Population(Miners);
        var rng = new Random(4);
        _slots = [.. Enumerable.Range(0, Batch).Select(_ => rng.Next(Miners))];
        _weights = [Weights(rng), Weights(rng)];
        _changes = [Changes(rng), Changes(rng)];
    }

    private UInt128[] Weights(Random rng) => [.. _slots.Select(_ => _population.Weights[rng.Next(Miners)])];

    private UpdateStanding[] Changes(Random rng) =>
        [.. _slots.Select(s => new UpdateStanding(_population.Miners[s]) { Votes = (BigInteger)(_population.Weights[rng.Next(Miners)] / 3) })];

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void Linear_array_write()
    {
        var weights = _population.Weights;
        var next = _weights[_turn ^= 1];
        for (var i = 0; i < Batch; i++) weights[_slots[i]] = next[i];
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Fenwick_set()
    {
        var sampler = _population.Sampler;
        var next = _weights[_turn ^= 1];
        for (var i = 0; i < Batch; i++) sampler.Set(_slots[i], next[i]);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Directory_standing_change()
    {
        var directory = _population.Directory;
        var next = _changes[_turn ^= 1];
        for (var i = 0; i < Batch; i++) directory.Apply(next[i]);
    }
}
