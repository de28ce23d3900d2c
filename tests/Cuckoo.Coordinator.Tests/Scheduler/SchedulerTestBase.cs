using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Cuckoo.Coordinator.Metrics;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Persistence;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using Address = Cuckoo.Chain.Address;
using SchedulerActor = Cuckoo.Coordinator.Scheduler.Scheduler;

namespace Cuckoo.Coordinator.Tests.Scheduler;

/// <summary>
/// A scheduler on a real SQLite journal in a temporary file, on virtual time, with probes standing in for the registry
/// (it answers <see cref="PickMiner"/> by hand) and the dispatcher. <see cref="NewSystem"/> is a restarted process on the same file.
/// </summary>
public abstract class SchedulerTestBase : Akka.TestKit.Xunit2.TestKit
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly string _temp;
    private readonly List<ActorSystem> _systems = [];

    protected SchedulerTestBase(ITestOutputHelper? output = null) : this(Directory.CreateTempSubdirectory("cuckoo-scheduler-tests-").FullName, output)
    {
    }

    private SchedulerTestBase(string temp, ITestOutputHelper? output) : base(Config(Path.Combine(temp, "scheduler.db")), "scheduler-tests", output)
    {
        _temp = temp;
    }

    protected string JournalPath => Path.Combine(_temp, "scheduler.db");

    protected static SchedulerSettings Settings => new()
    {
        TaskDeadline = TimeSpan.FromSeconds(10),
        AssignmentRetry = TimeSpan.FromSeconds(1),
        SweepInterval = TimeSpan.FromMilliseconds(100),
        // Audits are drawn at random; the tests that want them say so.
        AuditRate = 0,
    };

    protected static Config Config(string file)
    {
        var settings = PersistenceSettings.Sqlite(file);
        settings.PrepareStorage();
        return ConfigurationFactory.ParseString("""
                akka.loglevel = WARNING
                akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
                """)
            .WithFallback(settings.ToConfig());
    }

    protected ActorSystem NewSystem(string name)
    {
        var system = ActorSystem.Create(name, Config(JournalPath));
        _systems.Add(system);
        return system;
    }

    protected static void Advance(ActorSystem system, TimeSpan by) => ((TestScheduler)system.Scheduler).Advance(by);

    /// <summary>A distinct, non-zero address per number.</summary>
    protected static Address Miner(int n)
    {
        var bytes = new byte[Address.Size];
        bytes[0] = 0xbb;
        BitConverter.TryWriteBytes(bytes.AsSpan(16), n);
        return Address.FromBytes(bytes);
    }

    protected static SubmitTask Task(string id, string app = "app-1", TimeSpan? deadline = null) =>
        new(id, app, "echo", [1, 2, 3], Deadline: deadline);

    protected static ReportResult Result(DispatchTask d, string digest = "0xd1") =>
        new(d.TaskId, d.Miner, d.Attempt, digest, [9, 9], "0xsig");

    /// <summary>The scheduler and its two stand-ins, in <paramref name="system"/> (the TestKit's by default).</summary>
    protected (IActorRef Scheduler, TestProbe Registry, TestProbe Dispatcher) Start(
        SchedulerSettings? settings = null, ActorSystem? system = null, CoordinatorMetrics? metrics = null, IActorRef? trust = null)
    {
        system ??= Sys;
        var registry = CreateTestProbe(system);
        var dispatcher = CreateTestProbe(system);
        var scheduler = system.ActorOf(SchedulerActor.Props(settings ?? Settings, registry.Ref, dispatcher.Ref, metrics, trust));
        return (scheduler, registry, dispatcher);
    }

    /// <summary>Answers the registry's next pick with <paramref name="miner"/> and returns the dispatch that follows (skipping revocations).</summary>
    protected static DispatchTask PickAndDispatch(TestProbe registry, TestProbe dispatcher, Address miner)
    {
        var pick = registry.ExpectMsg<PickMiner>(Wait);
        registry.Reply(new MinerPicked(pick.TaskId, pick.Model, miner, 1, 1));
        return dispatcher.FishForMessage<DispatchTask>(d => d.TaskId == pick.TaskId, Wait);
    }

    /// <summary>Journal rows of the scheduler, read straight from the file.</summary>
    protected long JournalRows(string? manifest = null) =>
        Count("SELECT count(*) FROM journal WHERE persistence_id = 'scheduler' AND ($m IS NULL OR manifest = $m)", manifest);

    /// <summary>
    /// Steps journaled under <paramref name="manifest"/>: rows of that manifest (one step each) plus the steps of that
    /// kind inside <c>scheduler.steps.v1</c> rows, which hold the steps of many tasks.
    /// </summary>
    protected long JournalSteps(string manifest)
    {
        var property = StepProperties[manifest];
        using var connection = new SqliteConnection($"Data Source={JournalPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest, message FROM journal WHERE persistence_id = 'scheduler' AND manifest IN ($m, 'scheduler.steps.v1')";
        command.Parameters.AddWithValue("$m", manifest);
        using var reader = command.ExecuteReader();
        long steps = 0;
        while (reader.Read())
        {
            if (reader.GetString(0) == manifest)
            {
                steps++;
                continue;
            }
            using var batch = JsonDocument.Parse((byte[])reader.GetValue(1));
            steps += batch.RootElement.GetProperty("Steps").EnumerateArray().Count(step => step.TryGetProperty(property, out _));
        }
        return steps;
    }

    private static readonly Dictionary<string, string> StepProperties = new()
    {
        ["scheduler.task-accepted.v1"] = "Accepted",
        ["scheduler.task-assigned.v1"] = "Assigned",
        ["scheduler.task-reassigned.v1"] = "Reassigned",
        ["scheduler.task-result-recorded.v1"] = "Recorded",
        ["scheduler.task-completed.v1"] = "Completed",
        ["scheduler.task-failed.v1"] = "Failed",
    };

    protected long SnapshotRows() => Count("SELECT count(*) FROM snapshot WHERE persistence_id = 'scheduler' AND $m IS NULL", null);

    private long Count(string sql, string? manifest)
    {
        using var connection = new SqliteConnection($"Data Source={JournalPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$m", (object?)manifest ?? DBNull.Value);
        return (long)command.ExecuteScalar()!;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var system in _systems)
        {
            system.Terminate().Wait(Wait);
        }
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_temp, recursive: true);
        }
    }
}
