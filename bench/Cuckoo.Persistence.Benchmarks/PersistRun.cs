using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

namespace Cuckoo.Persistence.Benchmarks;

/// <summary>
/// One measurement: a fresh actor system on the given store with <c>writers</c> persistent actors, each sent all its
/// commands at once; the clock runs from the first command to the last handler. A warm-up event per actor first
/// takes table creation, recovery and connection set-up out of the figure.
/// </summary>
public static class PersistRun
{
    public static async Task<Measurement> EventsPerSecondAsync(PersistenceSettings settings, WriteMode mode, int writers, int eventsPerWriter, string prefix)
    {
        // CUCKOO_BENCH_HOCON lays extra settings over every step, for trying one out without a rebuild.
        var extra = Environment.GetEnvironmentVariable("CUCKOO_BENCH_HOCON") ?? "";
        using var system = ActorSystem.Create("bench", settings.ToSetup(ConfigurationFactory.ParseString("akka.loglevel = WARNING\n" + extra)));
        var warm = new Countdown(writers);
        var main = new Countdown((long)writers * eventsPerWriter);
        var measuring = false;
        void Handled() => (Volatile.Read(ref measuring) ? main : warm).Signal();
        var actors = Enumerable.Range(0, writers)
            .Select(i => system.ActorOf(WriterActor.Props($"{prefix}-{i}", mode, Handled), $"w-{i}"))
            .ToArray();
        foreach (var actor in actors)
        {
            actor.Tell(new Record(0, 1));
        }

        await warm.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Volatile.Write(ref measuring, true);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        // Persist gets one command for the whole chain: commands sent to a persisting actor wait in Akka's internal stash,
        // which is re-examined after every handler, so queuing 200 of them costs more than the writes being measured.
        var perCommand = mode switch { WriteMode.Persist => eventsPerWriter, WriteMode.PersistAll => 10, _ => 1 };
        foreach (var actor in actors)
        {
            for (var seq = 1; seq <= eventsPerWriter; seq += perCommand)
            {
                actor.Tell(new Record(seq, Math.Min(perCommand, eventsPerWriter - seq + 1)));
            }
        }

        await main.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        await system.Terminate();
        return new Measurement(writers * (long)eventsPerWriter, seconds, cpuSeconds);
    }

    public static async Task<Measurement> TimeAsync(Func<Task> run, long events)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        await run();
        return new Measurement(events, Stopwatch.GetElapsedTime(start).TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }
}

/// <summary>Events written, wall-clock seconds and CPU seconds of this process (the CPU figure is what a loaded machine distorts least).</summary>
public sealed record Measurement(long Events, double Seconds, double CpuSeconds)
{
    public double EventsPerSecond => Events / Seconds;

    public double CpuMicrosecondsPerEvent => CpuSeconds * 1e6 / Events;
}
