using System.Diagnostics;
using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Registry;

namespace Cuckoo.Coordinator.Benchmarks;

/// <summary>
/// <c>--latency</c>: each operation timed alone with <see cref="Stopwatch.GetTimestamp"/>, interleaved in rounds so
/// that machine noise hits all alike; prints p50/p99/p99.9 per operation and the scan/sampler ratios. The times include
/// one timestamp pair, whose own cost is printed first.
/// </summary>
internal static class LatencyReport
{
    public static void Run(int miners, int samples)
    {
        var population = new Population(miners);
        var sampler = population.Sampler;
        // Sets go to a copy, so that the draws made for the other sampler stay below its total.
        var updated = new FenwickSampler(miners);
        for (var i = 0; i < miners; i++) updated.Set(i, population.Weights[i]);
        var directory = population.Directory;
        // Unseeded, as the registry runs by default (xoshiro256**); a seeded Random is .NET's older subtractive
        // generator, slower per byte, timed on its own row.
        var rng = new Random();
        var seeded = new Random(5);
        var draws = population.Draws(samples, seed: 6);
        var exclude = new HashSet<Address> { population.Miners[10], population.Miners[miners / 2], population.Miners[^1] };
        // The scan costs ~n× more: it gets a tenth of the samples to keep the run short.
        var scanSamples = Math.Max(1_000, samples / 10);

        var timer = new long[samples];
        var pick = new long[samples];
        var pickSeeded = new long[samples];
        var pickGiven = new long[samples];
        var draw = new long[samples];
        var scan = new long[scanSamples];
        var set = new long[samples];
        var directoryPick = new long[samples];
        var directoryExcluding = new long[samples];
        var standing = new long[samples];

        for (var i = 0; i < 50_000; i++)
        {
            sampler.Pick(rng);
            directory.TryPick(Population.Model, exclude, rng, out _);
        }
        for (var i = 0; i < 200; i++) Population.ScanPick(population.Weights, draws[i]);

        const int round = 1_000;
        long sink = 0;
        for (var start = 0; start < samples; start += round)
        {
            var end = Math.Min(samples, start + round);
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                timer[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                sink += sampler.Pick(rng);
                pick[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                sink += sampler.Pick(seeded);
                pickSeeded[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                sink += sampler.Pick(draws[i]);
                pickGiven[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                sink += (long)(ulong)Population.Below(rng, population.Total);
                draw[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start / 10; i < end / 10 && i < scanSamples; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                sink += Population.ScanPick(population.Weights, draws[i]);
                scan[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var slot = rng.Next(miners);
                var weight = population.Weights[rng.Next(miners)];
                var t0 = Stopwatch.GetTimestamp();
                updated.Set(slot, weight);
                set[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                directory.TryPick(Population.Model, null, rng, out _);
                directoryPick[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                directory.TryPick(Population.Model, exclude, rng, out _);
                directoryExcluding[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var change = new UpdateStanding(population.Miners[rng.Next(miners)]) { Votes = new BigInteger(rng.NextInt64(1, long.MaxValue)) };
                var t0 = Stopwatch.GetTimestamp();
                directory.Apply(change);
                standing[i] = Stopwatch.GetTimestamp() - t0;
            }
        }

        Console.WriteLine("interleaved, each round of 1,000 running every operation in turn:");
        Console.WriteLine($"{miners:N0} miners, {samples:N0} samples ({scanSamples:N0} for the scan), times in µs   p50       p99     p99.9");
        Print("timestamp pair alone", timer);
        var p = Print("Fenwick pick (draw included)", pick);
        Print("Fenwick pick, seeded Random", pickSeeded);
        Print("Fenwick pick of a given r", pickGiven);
        Print("draw of r alone", draw);
        var s = Print("linear cumulative scan pick", scan);
        Print("Fenwick set", set);
        Print("directory pick", directoryPick);
        Print("directory pick, 3 excluded", directoryExcluding);
        Print("directory standing change (3 models)", standing);
        Console.WriteLine($"  {"scan / Fenwick pick",-40} {s.P50 / p.P50,9:F0}× {s.P99 / p.P99,8:F0}× {s.P999 / p.P999,8:F0}×");

        // The same picks back to back, as a scheduler placing a burst of tasks makes them: nothing else evicts the
        // tree from the cache between two picks.
        for (var i = 0; i < samples; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            sink += sampler.Pick(rng);
            pick[i] = Stopwatch.GetTimestamp() - t0;
        }
        for (var i = 0; i < samples; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            directory.TryPick(Population.Model, null, rng, out _);
            directoryPick[i] = Stopwatch.GetTimestamp() - t0;
        }
        GC.KeepAlive(sink);
        Console.WriteLine("back to back:");
        var hot = Print("Fenwick pick (draw included)", pick);
        Print("directory pick", directoryPick);
        Console.WriteLine($"  {"scan (interleaved) / Fenwick pick",-40} {s.P50 / hot.P50,9:F0}× {s.P99 / hot.P99,8:F0}× {s.P999 / hot.P999,8:F0}×");
    }

    private static (double P50, double P99, double P999) Print(string name, long[] ticks)
    {
        var sorted = ticks.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1_000_000.0 / Stopwatch.Frequency;
        var result = (At(0.50), At(0.99), At(0.999));
        Console.WriteLine($"  {name,-40} {result.Item1,9:F3} {result.Item2,9:F3} {result.Item3,9:F3}");
        return result;
    }
}
