using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Persistence;
using Address = Cuckoo.Chain.Address;
using SchedulerActor = Cuckoo.Coordinator.Scheduler.Scheduler;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Benchmarks;

/// <summary>
/// Tasks per second from submitted to completed through the scheduler on a SQLite journal in a temporary file, with
/// an instant registry (round robin over 16 miners) and an instant miner that answers each dispatch with its result.
/// </summary>
public static class SchedulerThroughput
{
    public static void Run(int tasks)
    {
        var folder = Directory.CreateTempSubdirectory("cuckoo-scheduler-bench-").FullName;
        var persistence = PersistenceSettings.Sqlite(Path.Combine(folder, "scheduler.db"));
        persistence.PrepareStorage();
        var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(persistence.ToConfig()));
        try
        {
            var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            var clock = new Stopwatch();
            var registry = system.ActorOf(Props.Create(() => new InstantRegistry()));
            var miner = system.ActorOf(Props.Create(() => new InstantMiner(tasks, clock, done)));
            var settings = new SchedulerSettings { MaxQueue = tasks, PerAppQuota = tasks, SnapshotEvery = 100_000 };
            var scheduler = system.ActorOf(SchedulerActor.Props(settings, registry, miner));
            var client = system.ActorOf(Props.Create(() => new Sink()));
            scheduler.Ask<TaskStatus>(new GetTask("warm-up"), TimeSpan.FromSeconds(30)).Wait();

            clock.Start();
            var input = new byte[64];
            for (var i = 0; i < tasks; i++)
            {
                scheduler.Tell(new SubmitTask($"task-{i}", "bench", "noop", input), client);
            }
            var elapsed = done.Task.Wait(TimeSpan.FromMinutes(5)) ? done.Task.Result : throw new TimeoutException("not all tasks completed");
            Console.WriteLine($"{tasks} tasks accepted -> assigned -> completed in {elapsed.TotalMilliseconds:F0} ms: {tasks / elapsed.TotalSeconds:F0} tasks/s ({3 * tasks / elapsed.TotalSeconds:F0} events/s)");
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class InstantRegistry : ReceiveActor
    {
        private readonly Address[] _miners = [.. Enumerable.Range(1, 16).Select(Miner)];
        private int _next;

        public InstantRegistry() =>
            Receive<PickMiner>(m => Sender.Tell(new MinerPicked(m.TaskId, m.Model, _miners[_next++ % _miners.Length], 1, 1)));

        private static Address Miner(int n)
        {
            var bytes = new byte[Address.Size];
            bytes[0] = 0xcc;
            BitConverter.TryWriteBytes(bytes.AsSpan(16), n);
            return Address.FromBytes(bytes);
        }
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

    private sealed class Sink : ReceiveActor
    {
        public Sink()
        {
            Receive<TaskAccepted>(_ => { });
            Receive<TaskRejected>(r => Console.Error.WriteLine($"rejected {r.TaskId}: {r.Explanation}"));
        }
    }
}
