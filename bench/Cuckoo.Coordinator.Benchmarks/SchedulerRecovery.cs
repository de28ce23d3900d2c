using System.Diagnostics;
using Akka.Actor;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using SchedulerActor = Cuckoo.Coordinator.Scheduler.Scheduler;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Benchmarks;

/// <summary>
/// <c>--recovery N [rounds]</c>: journals N accepted tasks that no miner takes (a registry that never answers), then
/// times a fresh scheduler in a fresh actor system on the same SQLite file from its creation to its answer to a
/// <see cref="GetTask"/> sent at once, which it handles only after <c>RecoveryCompleted</c> (and after asking the
/// registry for a miner for every task it recovered). Three journals, recovered in interleaved rounds: events only in
/// the format before batching (one row per step), events only in <see cref="SchedulerSteps"/> rows, and a snapshot
/// taken after the N-th task; and an empty journal, whose time is what starting the journal and snapshot store costs.
/// </summary>
public static class SchedulerRecovery
{
    public const double GoalSeconds = 2;

    public static void Run(int tasks, int rounds)
    {
        var modes = new (string Name, int Tasks, int StepsPerEvent, bool Snapshot)[]
        {
            ("empty journal (the stores' start)", 0, 1_000, false),
            ("events only, one row per step", tasks, 1, false),
            ("events only, batched rows", tasks, 1_000, false),
            ("snapshot", tasks, 1_000, true),
        };
        Console.WriteLine($"{tasks:N0} accepted tasks, live; SQLite WAL + synchronous=FULL, {Environment.ProcessorCount} cores");
        var journals = new List<BenchJournal>();
        try
        {
            foreach (var mode in modes)
            {
                var journal = new BenchJournal();
                journals.Add(journal);
                if (mode.Tasks == 0)
                {
                    continue;
                }
                var written = Write(journal, mode.Tasks, mode.StepsPerEvent, mode.Snapshot);
                Console.WriteLine($"  wrote {mode.Name,-32} in {written.TotalSeconds,6:F2} s: {journal.Count("journal"):N0} journal rows, {journal.Count("snapshot")} snapshots, {journal.FileBytes / 1e6:F1} MB");
            }
            var times = modes.Select(_ => new List<double>()).ToArray();
            for (var round = 1; round <= rounds; round++)
            {
                for (var m = 0; m < modes.Length; m++)
                {
                    var elapsed = Recover(journals[m], modes[m].Tasks, modes[m].StepsPerEvent);
                    times[m].Add(elapsed.TotalSeconds);
                    Console.WriteLine($"  round {round}  {modes[m].Name,-32} recovered in {elapsed.TotalMilliseconds,7:F0} ms");
                }
            }
            Console.WriteLine($"{"journal",-34} {"median s",9} {"rounds",-24} {"/ 2 s goal",10}");
            for (var m = 0; m < modes.Length; m++)
            {
                var median = SchedulerThroughput.Median(times[m]);
                Console.WriteLine($"{modes[m].Name,-34} {median,9:F3} {string.Join(" / ", times[m].Select(t => t.ToString("F3"))),-24} {median / GoalSeconds,10:F2}");
            }
        }
        finally
        {
            journals.ForEach(j => j.Dispose());
        }
    }

    private static SchedulerSettings Settings(int tasks, int stepsPerEvent, bool snapshot) => new()
    {
        MaxQueue = Math.Max(1, tasks),
        PerAppQuota = Math.Max(1, tasks),
        StepsPerEvent = stepsPerEvent,
        SnapshotEvery = snapshot ? tasks : int.MaxValue,
        // The plain path, as measured before audits: an audited task is two runs, a different workload.
        AuditRate = 0,
    };

    private static TimeSpan Write(BenchJournal journal, int tasks, int stepsPerEvent, bool snapshot)
    {
        var system = journal.NewSystem("write");
        try
        {
            var clock = Stopwatch.StartNew();
            var registry = system.ActorOf(Props.Create(() => new Silent()));
            var scheduler = system.ActorOf(SchedulerActor.Props(Settings(tasks, stepsPerEvent, snapshot), registry, registry));
            var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var client = system.ActorOf(Props.Create(() => new Counter(tasks, accepted)));
            var input = new byte[64];
            for (var i = 0; i < tasks; i++)
            {
                scheduler.Tell(new SubmitTask($"task-{i}", "bench", "noop", input), client);
            }
            if (!accepted.Task.Wait(TimeSpan.FromMinutes(5)))
            {
                throw new TimeoutException("not all tasks accepted");
            }
            // The snapshot is saved after the last accept's reply: the bench may poll for it, a test could not.
            while (snapshot && journal.Count("snapshot") == 0 && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(50);
            }
            return clock.Elapsed;
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
    }

    private static TimeSpan Recover(BenchJournal journal, int tasks, int stepsPerEvent)
    {
        var system = journal.NewSystem("recover");
        try
        {
            var registry = system.ActorOf(Props.Create(() => new Silent()));
            var clock = Stopwatch.StartNew();
            var scheduler = system.ActorOf(SchedulerActor.Props(Settings(tasks, stepsPerEvent, snapshot: false), registry, registry));
            var status = scheduler.Ask<TaskStatus>(new GetTask($"task-{tasks - 1}"), TimeSpan.FromMinutes(2)).Result;
            var elapsed = clock.Elapsed;
            return status is TaskStatus.Queued || tasks == 0 ? elapsed : throw new InvalidOperationException($"the last task recovered as {status}");
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Registry and dispatcher that never answer: every task stays queued.</summary>
    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    private sealed class Counter : ReceiveActor
    {
        private int _accepted;

        public Counter(int tasks, TaskCompletionSource done)
        {
            Receive<TaskAccepted>(_ =>
            {
                if (++_accepted == tasks)
                {
                    done.TrySetResult();
                }
            });
            Receive<TaskRejected>(r => done.TrySetException(new InvalidOperationException($"rejected {r.TaskId}: {r.Explanation}")));
        }
    }
}
