using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

namespace Cuckoo.Actors.Benchmarks;

/// <summary>
/// <c>--ask-latency</c>: sequential Ask round trips to an echo actor and the channel baseline, interleaved in rounds so
/// that machine noise hits both alike; prints p50/p99/p99.9 of each and their ratios.
/// </summary>
internal static class AskLatencyReport
{
    public static async Task RunAsync(int samples)
    {
        using var system = ActorSystem.Create("latency", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "echo");
        using var channelEcho = new ChannelEcho();
        var timeout = TimeSpan.FromSeconds(5);

        for (var i = 0; i < 20_000; i++)
        {
            await echo.Ask<string>("warm", timeout);
            await channelEcho.RequestAsync("warm");
        }

        var actor = new long[samples];
        var channel = new long[samples];
        const int round = 1_000;
        for (var start = 0; start < samples; start += round)
        {
            var end = Math.Min(samples, start + round);
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await echo.Ask<string>("ping", timeout);
                actor[i] = Stopwatch.GetTimestamp() - t0;
            }
            for (var i = start; i < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await channelEcho.RequestAsync("ping");
                channel[i] = Stopwatch.GetTimestamp() - t0;
            }
        }

        var a = Percentiles(actor);
        var c = Percentiles(channel);
        Console.WriteLine($"Ask round trip over {samples:N0} samples (µs)      p50      p99    p99.9");
        Console.WriteLine($"  actor Ask                              {a.P50,8:F1} {a.P99,8:F1} {a.P999,8:F1}");
        Console.WriteLine($"  channel request/reply (baseline)       {c.P50,8:F1} {c.P99,8:F1} {c.P999,8:F1}");
        Console.WriteLine($"  ratio actor/baseline                   {a.P50 / c.P50,8:F2} {a.P99 / c.P99,8:F2} {a.P999 / c.P999,8:F2}");
        await system.Terminate();
    }

    private static (double P50, double P99, double P999) Percentiles(long[] ticks)
    {
        var sorted = ticks.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1_000_000.0 / Stopwatch.Frequency;
        return (At(0.50), At(0.99), At(0.999));
    }
}
