using System.Diagnostics;

namespace Cuckoo.Cluster.Benchmarks;

/// <summary>Per-pair round-trip counters, each on its own cache line, read by the measuring thread without locks.</summary>
public sealed class Counters(int pairs)
{
    private const int Stride = 16; // 128 bytes between counters: no false sharing between pairs on different cores.
    private readonly long[] _counts = new long[pairs * Stride];

    public void Add(int pair, long n) => Interlocked.Add(ref _counts[pair * Stride], n);

    public long Total()
    {
        long sum = 0;
        for (var i = 0; i < _counts.Length; i += Stride)
        {
            sum += Volatile.Read(ref _counts[i]);
        }

        return sum;
    }
}

public static class Measure
{
    /// <summary>
    /// With the load already running, waits out the warm-up, then samples round trips per second over
    /// <paramref name="repetitions"/> windows of <paramref name="each"/>; returns every sample.
    /// </summary>
    public static double[] Sample(Counters counters, TimeSpan warmUp, TimeSpan each, int repetitions)
    {
        Thread.Sleep(warmUp);
        var samples = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var before = counters.Total();
            var clock = Stopwatch.StartNew();
            Thread.Sleep(each);
            var done = counters.Total() - before;
            samples[i] = done / clock.Elapsed.TotalSeconds;
        }

        return samples;
    }

    public static double Median(double[] samples)
    {
        var sorted = samples.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
