using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Persistence;
using Microsoft.Data.Sqlite;
using Xunit;
using Address = Cuckoo.Chain.Address;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Tests.Scheduler;

/// <summary>The journal's formats: steps batched into rows, and the single events and v1 snapshots that earlier versions wrote.</summary>
public sealed class SchedulerJournalTests : SchedulerTestBase
{
    // As versions before batching wrote it: the default Address converter, EIP-55 checksummed.
    private const string At = "2026-01-01T00:00:00+00:00";

    [Fact]
    public async Task Scheduler_journals_the_steps_of_many_tasks_in_few_rows_and_recovers_every_one()
    {
        const int tasks = 200;
        var settings = Settings with { StepsPerEvent = 50, PerAppQuota = tasks };
        var first = NewSystem("before");
        var (scheduler, _, _) = Start(settings, first);
        var client = CreateTestProbe(first);
        for (var i = 0; i < tasks; i++)
        {
            scheduler.Tell(Task($"t{i}"), client.Ref);
        }
        var replies = client.ReceiveN(tasks, Wait).Cast<TaskAccepted>().ToList();
        Assert.Equal(Enumerable.Range(0, tasks).Select(i => $"t{i}"), replies.Select(r => r.TaskId));
        Assert.Equal(tasks, JournalSteps("scheduler.task-accepted.v1"));
        // The submissions arrive faster than one write: most go out together, no row holding more than 50 steps.
        Assert.True(JournalRows() < tasks / 2, $"{JournalRows()} rows for {tasks} steps");
        Assert.All(StepsPerRow(), n => Assert.InRange(n, 1, 50));
        await first.Terminate().WaitAsync(Wait);

        var second = NewSystem("after");
        var (_, registry, _) = Start(settings, second);
        var picks = registry.ReceiveN(tasks, Wait).Cast<PickMiner>().Select(p => p.TaskId).ToHashSet();
        Assert.Equal(tasks, picks.Count);
    }

    [Fact]
    public void Scheduler_answers_a_resubmission_and_a_status_only_after_the_first_acceptance_is_journaled()
    {
        var (scheduler, _, _) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        // Handled while the first write is in flight: what they tell rests on it, so they wait for it.
        scheduler.Tell(Task("t1"), TestActor);
        scheduler.Tell(new GetTask("t1"), TestActor);
        Assert.False(ExpectMsg<TaskAccepted>(Wait).Duplicate);
        Assert.True(ExpectMsg<TaskAccepted>(Wait).Duplicate);
        ExpectMsg<TaskStatus.Queued>(Wait);
        Assert.Equal(1, JournalSteps("scheduler.task-accepted.v1"));
    }

    [Fact]
    public async Task Scheduler_replays_a_journal_of_single_events_as_versions_before_batching_wrote_it()
    {
        await CreateTables();
        InsertEvents(
            ("scheduler.task-accepted.v1", Accepted("t1")),
            ("scheduler.task-assigned.v1", $$"""{"TaskId":"t1","Attempt":1,"Miner":"{{Miner(1)}}","At":"{{At}}"}"""),
            ("scheduler.task-reassigned.v1", $$"""{"TaskId":"t1","Attempt":1,"Miner":"{{Miner(1)}}","Reason":"no result within the deadline","At":"{{At}}"}"""),
            ("scheduler.task-assigned.v1", $$"""{"TaskId":"t1","Attempt":2,"Miner":"{{Miner(2)}}","At":"{{At}}"}"""),
            ("scheduler.task-accepted.v1", Accepted("t2")),
            ("scheduler.task-assigned.v1", $$"""{"TaskId":"t2","Attempt":1,"Miner":"{{Miner(3)}}","At":"{{At}}"}"""),
            ("scheduler.task-completed.v1",
                $$"""{"TaskId":"t2","Attempt":1,"Miner":"{{Miner(3)}}","OutputDigest":"0xd2","Output":"CQk=","Signature":"0xsig","At":"{{At}}"}"""),
            ("scheduler.task-accepted.v1", Accepted("t3")),
            ("scheduler.task-failed.v1", $$"""{"TaskId":"t3","Reason":"gave up","At":"{{At}}"}"""),
            ("scheduler.task-accepted.v1", Accepted("t4")));

        var system = NewSystem("after");
        var (scheduler, registry, dispatcher) = Start(system: system);
        var client = CreateTestProbe(system);
        var again = dispatcher.ExpectMsg<DispatchTask>(Wait);
        Assert.Equal(("t1", Miner(2), 2), (again.TaskId, again.Miner, again.Attempt));
        Assert.Equal("t4", registry.ExpectMsg<PickMiner>(Wait).TaskId);
        scheduler.Tell(new GetTask("t2"), client.Ref);
        var completed = client.ExpectMsg<TaskStatus.Completed>(Wait);
        Assert.Equal((Miner(3), "0xd2"), (completed.Result.Miner, completed.Result.OutputDigest));
        Assert.Equal([9, 9], completed.Result.Output);
        scheduler.Tell(new GetTask("t3"), client.Ref);
        Assert.Equal("gave up", client.ExpectMsg<TaskStatus.Failed>(Wait).Reason);

        // Both miners t1 was given stay excluded: the replay rebuilt what it tried.
        scheduler.Tell(new ReportFailure("t1", Miner(2), 2, "out of memory"), client.Ref);
        var pick = registry.FishForMessage<PickMiner>(p => p.TaskId == "t1", Wait);
        Assert.Equal(new HashSet<Address> { Miner(1), Miner(2) }, pick.Exclude!.ToHashSet());
    }

    [Fact]
    public async Task Scheduler_recovers_from_a_v1_snapshot_and_the_events_after_it()
    {
        await CreateTables();
        var accepted = JsonSerializer.Deserialize<TaskAcceptedEvent>(Accepted("t1"))!;
        var v1 = new SchedulerSnapshot(
            [
                new LiveTaskRecord(accepted, 1, Miner(1), [Miner(1)], accepted.At),
                new LiveTaskRecord(accepted with { TaskId = "t2" }, 0, null, [], accepted.At),
            ],
            [new TaskOutcome("t0", "app-1", new TaskResult(Miner(5), 1, "0xd0", [7], "0xsig"), null)]);
        var store = NewSystem("store");
        var probe = CreateTestProbe(store);
        Akka.Persistence.Persistence.Instance.Apply(store).SnapshotStoreFor(null)
            .Tell(new SaveSnapshot(new SnapshotMetadata("scheduler", 2, DateTime.UtcNow), v1), probe.Ref);
        probe.ExpectMsg<SaveSnapshotSuccess>(Wait);
        await store.Terminate().WaitAsync(Wait);
        InsertEvents(("scheduler.task-accepted.v1", Accepted("t3")), firstSequenceNr: 3);

        var system = NewSystem("after");
        var (scheduler, registry, dispatcher) = Start(system: system);
        var client = CreateTestProbe(system);
        var again = dispatcher.ExpectMsg<DispatchTask>(Wait);
        Assert.Equal(("t1", Miner(1), 1), (again.TaskId, again.Miner, again.Attempt));
        Assert.Equal(["t2", "t3"], registry.ReceiveN(2, Wait).Cast<PickMiner>().Select(p => p.TaskId).Order());
        scheduler.Tell(new GetTask("t0"), client.Ref);
        Assert.Equal(Miner(5), client.ExpectMsg<TaskStatus.Completed>(Wait).Result.Miner);
        scheduler.Tell(Task("t0", app: "app-2"), client.Ref);
        Assert.Equal(RejectReason.IdInUse, client.ExpectMsg<TaskRejected>(Wait).Reason);
    }

    [Fact]
    public void Scheduler_writes_its_snapshots_in_v2()
    {
        var settings = Settings with { SnapshotEvery = 3 };
        var (scheduler, registry, dispatcher) = Start(settings);
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        PickAndDispatch(registry, dispatcher, Miner(1));
        scheduler.Tell(Task("t2"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        AwaitCondition(() => SnapshotManifests().Contains("scheduler.snapshot.v2"), Wait);
        Assert.DoesNotContain("scheduler.snapshot.v1", SnapshotManifests());
    }

    [Fact]
    public void Steps_and_v2_snapshots_round_trip_through_the_event_serializer()
    {
        var accepted = JsonSerializer.Deserialize<TaskAcceptedEvent>(Accepted("t1"))!;
        var at = accepted.At;
        var steps = new SchedulerSteps(
        [
            SchedulerStep.Of(accepted),
            SchedulerStep.Of(new TaskAssigned("t1", 1, Miner(1), at)),
            SchedulerStep.Of(new TaskReassigned("t1", 1, Miner(1), "lost", at)),
            SchedulerStep.Of(new TaskCompleted("t1", 2, Miner(2), "0xd", [1], "0xs", at)),
            SchedulerStep.Of(new TaskFailed("t2", "gave up", at)),
        ]);
        var back = RoundTrip(steps);
        Assert.Equal(steps.Steps.Select(s => s.Event.GetType()), back.Steps.Select(s => s.Event.GetType()));
        Assert.Equal(new TaskAssigned("t1", 1, Miner(1), at), back.Steps[1].Event);
        Assert.Equal(new TaskReassigned("t1", 1, Miner(1), "lost", at), back.Steps[2].Event);
        Assert.Equal(new TaskFailed("t2", "gave up", at), back.Steps[4].Event);

        var queued = new LiveTaskState { Accepted = accepted };
        var assigned = new LiveTaskState { Accepted = accepted with { TaskId = "t2" }, Attempt = 2, Miner = Miner(2), Tried = [Miner(1), Miner(2)], QueuedSince = at.AddSeconds(5) };
        var snapshot = RoundTrip(new SchedulerSnapshotV2([queued, assigned], []));
        Assert.Equal((0, (Address?)null, (IReadOnlyList<Address>?)null, (DateTimeOffset?)null),
            (snapshot.Live[0].Attempt, snapshot.Live[0].Miner, snapshot.Live[0].Tried, snapshot.Live[0].QueuedSince));
        Assert.Equal((2, (Address?)Miner(2), at.AddSeconds(5)), (snapshot.Live[1].Attempt, snapshot.Live[1].Miner, snapshot.Live[1].QueuedSince!.Value));
        Assert.Equal([Miner(1), Miner(2)], snapshot.Live[1].Tried!);
        // A queued first attempt is its acceptance and nothing else.
        var json = Encoding.UTF8.GetString(Sys.Serialization.FindSerializerFor(snapshot).ToBinary(new SchedulerSnapshotV2([queued], [])));
        Assert.DoesNotContain("Attempt", json);
        Assert.DoesNotContain("QueuedSince", json);
    }

    [Fact]
    public void Journal_addresses_are_written_in_lowercase_and_read_in_every_valid_form()
    {
        var options = new JsonSerializerOptions { Converters = { new JournalAddressConverter() } };
        var miner = Miner(1);
        var lower = miner.ToLowerHex();
        Assert.Equal($"\"{lower}\"", JsonSerializer.Serialize(miner, options));
        Assert.Equal(miner, JsonSerializer.Deserialize<Address>($"\"{lower}\"", options));
        Assert.Equal(miner, JsonSerializer.Deserialize<Address>($"\"{miner}\"", options));
        Assert.Equal(miner, JsonSerializer.Deserialize<Address>($"\"0x{lower[2..].ToUpperInvariant()}\"", options));
        // Mixed case is a checksum, and a wrong one is refused, as Address.Parse refuses it.
        var wrong = "0x" + string.Concat(miner.ToString()[2..].Select(c => char.IsLetter(c) ? (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : c));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Address>($"\"{wrong}\"", options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Address>("\"0x1234\"", options));
    }

    private T RoundTrip<T>(T value) where T : notnull
    {
        var serializer = (Akka.Serialization.SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(value);
        Assert.Equal(PersistedEventSerializer.SerializerId, serializer.Identifier);
        return (T)serializer.FromBinary(serializer.ToBinary(value), serializer.Manifest(value));
    }

    private static string Accepted(string id) =>
        $$"""{"TaskId":"{{id}}","AppId":"app-1","Model":"echo","Input":"AQID","Parameters":null,"PinnedMiners":null,"Deadline":"00:00:10","At":"{{At}}"}""";

    /// <summary>Lets the store create its tables on the file, as a scheduler's first recovery does.</summary>
    private async Task CreateTables()
    {
        var system = NewSystem("tables");
        var (scheduler, _, _) = Start(system: system);
        var probe = CreateTestProbe(system);
        scheduler.Tell(new GetTask("none"), probe.Ref);
        probe.ExpectMsg<TaskStatus.Unknown>(Wait);
        var store = Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(null);
        store.Tell(new LoadSnapshot("none", SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);
        probe.ExpectMsg<LoadSnapshotResult>(Wait);
        await system.Terminate().WaitAsync(Wait);
    }

    /// <summary>Journal rows as the journal writes them (the schema Akka.Persistence.Sql created), one event each.</summary>
    private void InsertEvents(params (string Manifest, string Json)[] events) => InsertEvents(events[0], firstSequenceNr: 1, events[1..]);

    private void InsertEvents((string Manifest, string Json) first, long firstSequenceNr, params (string Manifest, string Json)[] rest)
    {
        using var connection = new SqliteConnection($"Data Source={JournalPath}");
        connection.Open();
        var sequenceNr = firstSequenceNr;
        foreach (var (manifest, json) in new[] { first }.Concat(rest))
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO journal (deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid) " +
                "VALUES (0, 'scheduler', $seq, $created, $message, $identifier, $manifest, 'before-batching')";
            command.Parameters.AddWithValue("$seq", sequenceNr++);
            command.Parameters.AddWithValue("$created", DateTime.UtcNow.Ticks);
            command.Parameters.AddWithValue("$message", Encoding.UTF8.GetBytes(json));
            command.Parameters.AddWithValue("$identifier", PersistedEventSerializer.SerializerId);
            command.Parameters.AddWithValue("$manifest", manifest);
            command.ExecuteNonQuery();
        }
    }

    private List<int> StepsPerRow()
    {
        using var connection = new SqliteConnection($"Data Source={JournalPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message FROM journal WHERE manifest = 'scheduler.steps.v1'";
        using var reader = command.ExecuteReader();
        var counts = new List<int>();
        while (reader.Read())
        {
            using var row = JsonDocument.Parse((byte[])reader.GetValue(0));
            counts.Add(row.RootElement.GetProperty("Steps").GetArrayLength());
        }
        return counts;
    }

    private List<string> SnapshotManifests()
    {
        using var connection = new SqliteConnection($"Data Source={JournalPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest FROM snapshot WHERE persistence_id = 'scheduler'";
        using var reader = command.ExecuteReader();
        var manifests = new List<string>();
        while (reader.Read())
        {
            manifests.Add(reader.GetString(0));
        }
        return manifests;
    }
}
