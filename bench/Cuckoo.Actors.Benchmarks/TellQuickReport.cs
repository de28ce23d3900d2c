using System.Diagnostics;

namespace Cuckoo.Actors.Benchmarks;

/// <summary>
/// <c>--tell-quick</c>: the <see cref="TellThroughputBenchmarks"/> operations run back to back without BenchmarkDotNet,
/// interleaved per round and reported as medians, for a fast look while iterating (the BenchmarkDotNet run is the record).
/// </summary>
internal static class TellQuickReport
{
    public static void Run(int rounds, int? throughput)
    {
        Console.WriteLine($"throughput per turn: {throughput?.ToString() ?? "default"}");
        Console.WriteLine("pairs   actor M msg/s   channel M msg/s   actor/channel");
        foreach (var pairs in new[] { 1, 2, 4, 100 })
        {
            var bench = new TellThroughputBenchmarks { Pairs = pairs, MailboxThroughput = throughput };
            bench.Setup();
            bench.Actor_pairs();
            bench.Channel_pairs();
            var actor = new List<double>();
            var channel = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                actor.Add(Rate(bench.Actor_pairs));
                channel.Add(Rate(bench.Channel_pairs));
            }
            bench.Cleanup();
            var a = Median(actor);
            var c = Median(channel);
            Console.WriteLine($"{pairs,5} {a,15:F1} {c,17:F1} {a / c,15:F2}");
        }
    }

    private static double Rate(Action operation)
    {
        var start = Stopwatch.GetTimestamp();
        operation();
        return TellThroughputBenchmarks.MessagesPerOperation / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
