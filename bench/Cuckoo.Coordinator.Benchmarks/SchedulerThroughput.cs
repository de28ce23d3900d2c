using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Cuckoo.Coordinator.Metrics;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Address = Cuckoo.Chain.Address;
using SchedulerActor = Cuckoo.Coordinator.Scheduler.Scheduler;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Benchmarks;

/// <summary>
/// <c>--scheduler N [rounds]</c>: tasks per second from submitted to completed through the scheduler on a SQLite
/// journal in a temporary file (a fresh one per run), with an instant registry (round robin over 16 miners) and an
/// instant miner that answers each dispatch with its result. The journal formats run side by side, interleaved in
/// rounds so that load from elsewhere hits them alike: one row per step (<see cref="SchedulerSettings.StepsPerEvent"/>
/// = 1, the format before batching) and steps batched into <see cref="SchedulerSteps"/> rows, the same with
/// <see cref="CoordinatorMetrics"/> recording to a listener, and the batched scheduler on Akka's in-memory journal, the
/// ceiling the actors themselves allow. Snapshots at the default <see cref="SchedulerSettings.SnapshotEvery"/>.
/// </summary>
public static class SchedulerThroughput
{
    public const double Goal = 10_000;

    public static void Run(int tasks, int rounds)
    {
        var modes = new (string Name, int StepsPerEvent, bool InMemory, bool Metrics)[]
        {
            ("one row per step (StepsPerEvent = 1)", 1, false, false),
            ("batched rows (StepsPerEvent = 1000)", 1_000, false, false),
            ("batched rows + metrics, listened", 1_000, false, true),
            ("batched, in-memory journal (ceiling)", 1_000, true, false),
        };
        var rates = modes.Select(_ => new List<double>()).ToArray();
        var cpu = modes.Select(_ => new List<double>()).ToArray();
        Console.WriteLine($"{tasks:N0} tasks per run, accepted -> assigned -> completed, {rounds} interleaved rounds, SQLite WAL + synchronous=FULL, {Environment.ProcessorCount} cores");
        for (var round = 1; round <= rounds; round++)
        {
            for (var m = 0; m < modes.Length; m++)
            {
                var (elapsed, cpuTime, rows) = Once(tasks, modes[m].StepsPerEvent, modes[m].InMemory, modes[m].Metrics);
                rates[m].Add(tasks / elapsed.TotalSeconds);
                cpu[m].Add(cpuTime.TotalMicroseconds / tasks);
                Console.WriteLine($"  round {round}  {modes[m].Name,-38} {elapsed.TotalMilliseconds,7:F0} ms {tasks / elapsed.TotalSeconds,9:F0} tasks/s {cpu[m][^1],6:F1} CPU us/task  {(modes[m].InMemory ? "" : $"{rows:N0} journal rows")}");
            }
        }
        Console.WriteLine($"{"mode",-40} {"median tasks/s",15} {"rounds",-28} {"x goal",7} {"CPU us/task",12}");
        for (var m = 0; m < modes.Length; m++)
        {
            var median = Median(rates[m]);
            Console.WriteLine($"{modes[m].Name,-40} {median,15:F0} {string.Join(" / ", rates[m].Select(r => r.ToString("F0"))),-28} {median / Goal,7:F2} {Median(cpu[m]),12:F1}");
        }
        Console.WriteLine($"batched / one row per step: {Median(rates[1]) / Median(rates[0]):F2}x; goal {Goal:N0} tasks/s");
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static (TimeSpan Elapsed, TimeSpan Cpu, long Rows) Once(int tasks, int stepsPerEvent, bool inMemory, bool withMetrics)
    {
        using var journal = new BenchJournal();
        using var metrics = withMetrics ? new CoordinatorMetrics() : null;
        using var listener = metrics is null ? null : Listen(metrics);
        var system = journal.NewSystem("bench", inMemory);
        try
        {
            var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            var clock = new Stopwatch();
            var registry = system.ActorOf(Props.Create(() => new InstantRegistry()));
            var miner = system.ActorOf(Props.Create(() => new InstantMiner(tasks, clock, done)));
            var settings = new SchedulerSettings
            {
                MaxQueue = tasks, PerAppQuota = tasks, StepsPerEvent = stepsPerEvent,
                // The plain path, as measured before audits: an audited task is two runs, a different workload.
                AuditRate = 0,
            };
            var scheduler = system.ActorOf(SchedulerActor.Props(settings, registry, miner, metrics));
            var client = system.ActorOf(Props.Create(() => new Sink()));
            scheduler.Ask<TaskStatus>(new GetTask("warm-up"), TimeSpan.FromSeconds(30)).Wait();

            var input = new byte[64];
            var submits = Enumerable.Range(0, tasks).Select(i => new SubmitTask($"task-{i}", "bench", "noop", input)).ToArray();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Start();
            foreach (var submit in submits)
            {
                scheduler.Tell(submit, client);
            }
            var elapsed = done.Task.Wait(TimeSpan.FromMinutes(5)) ? done.Task.Result : throw new TimeoutException("not all tasks completed");
            // The process's CPU time over the run: the figure that load from elsewhere distorts least.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
            return (elapsed, cpu, inMemory ? 0 : journal.Count("journal"));
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>A listener on every instrument, adding up what they record, as an exporter's hot path does.</summary>
    private static MeterListener Listen(CoordinatorMetrics metrics)
    {
        long sum = 0;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref sum, value));
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => Interlocked.Add(ref sum, (long)value));
        listener.Start();
        return listener;
    }

    internal static Address Miner(int n)
    {
        var bytes = new byte[Address.Size];
        bytes[0] = 0xcc;
        BitConverter.TryWriteBytes(bytes.AsSpan(16), n);
        return Address.FromBytes(bytes);
    }

    private sealed class InstantRegistry : ReceiveActor
    {
        private readonly Address[] _miners = [.. Enumerable.Range(1, 16).Select(Miner)];
        private int _next;

        public InstantRegistry() =>
            Receive<PickMiner>(m => Sender.Tell(new MinerPicked(m.TaskId, m.Model, _miners[_next++ % _miners.Length], 1, 1)));
    }

    private sealed class InstantMiner : ReceiveActor
    {
        private static readonly byte[] Output = [1];
        private int _completed;

        public InstantMiner(int tasks, Stopwatch clock, TaskCompletionSource<TimeSpan> done)
        {
            Receive<DispatchTask>(d => Sender.Tell(new ReportResult(d.TaskId, d.Miner, d.Attempt, "0x00", Output, "0xsig")));
            Receive<ResultAccepted>(_ =>
            {
                if (++_completed == tasks)
                {
                    done.TrySetResult(clock.Elapsed);
                }
            });
            Receive<ResultRefused>(r => done.TrySetException(new InvalidOperationException($"result refused: {r.Reason}")));
        }
    }

    internal sealed class Sink : ReceiveActor
    {
        public Sink()
        {
            Receive<TaskAccepted>(_ => { });
            Receive<TaskRejected>(r => Console.Error.WriteLine($"rejected {r.TaskId}: {r.Explanation}"));
        }
    }
}
