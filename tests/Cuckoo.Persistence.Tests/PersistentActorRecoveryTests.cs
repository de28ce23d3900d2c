using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Persistence.Tests;

public sealed class PersistentActorRecoveryTests : PersistenceTestKit
{
    [Fact]
    public async Task Actor_recovers_from_the_latest_snapshot_plus_later_events()
    {
        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath));
        var first = Sys.ActorOf(ListActor.Props("list"));
        foreach (var v in new[] { "a", "b", "c" })
        {
            first.Tell(new Append(v), TestActor);
            await ExpectMsgAsync<Appended>();
        }

        first.Tell(new TakeSnapshot(), TestActor);
        Assert.Equal(3, (await ExpectMsgAsync<SaveSnapshotSuccess>()).Metadata.SequenceNr);
        foreach (var v in new[] { "d", "e" })
        {
            first.Tell(new Append(v), TestActor);
            await ExpectMsgAsync<Appended>();
        }

        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first);

        var recovery = CreateTestProbe();
        var second = Sys.ActorOf(ListActor.Props("list", recovery));

        Assert.Equal(["a", "b", "c"], (await recovery.ExpectMsgAsync<OfferedSnapshot>(o => o.SequenceNr == 3)).Items);
        Assert.Equal(new Replayed("d", 4), await recovery.ExpectMsgAsync<Replayed>());
        Assert.Equal(new Replayed("e", 5), await recovery.ExpectMsgAsync<Replayed>());
        var recovered = await recovery.ExpectMsgAsync<Recovered>();
        Assert.Equal(["a", "b", "c", "d", "e"], recovered.Items);
        Assert.Equal(5, recovered.LastSequenceNr);
        Assert.Equal(3, recovered.SnapshotSequenceNr);

        second.Tell(new Append("f"), TestActor);
        Assert.Equal(new Appended("f", 6), await ExpectMsgAsync<Appended>());
    }

    [Fact]
    public async Task Recovery_reads_long_journals_page_by_page_in_order()
    {
        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath) with { ReplayPageSize = 3 });
        var values = Enumerable.Range(1, 10).Select(i => $"v{i}").ToArray();
        var first = Sys.ActorOf(ListActor.Props("list"));
        first.Tell(new AppendAll(values), TestActor);
        for (var i = 0; i < values.Length; i++)
        {
            await ExpectMsgAsync<Appended>();
        }

        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first);
        var recovery = CreateTestProbe();
        Sys.ActorOf(ListActor.Props("list", recovery));

        var recovered = await recovery.FishForMessageAsync<Recovered>(_ => true);
        Assert.Equal(values, recovered.Items);
        Assert.Equal(10, recovered.LastSequenceNr);
    }

    [Fact]
    public async Task Commands_sent_during_recovery_wait_for_it()
    {
        var journal = new InMemoryJournal(new EventRegistry());
        await journal.WriteAsync([new AtomicWrite(new PersistentRepr("list", 1, new ItemAdded("old")))]);
        Sys.UsePersistence(PersistenceSettings.InMemory() with { Journal = journal });

        var actor = Sys.ActorOf(ListActor.Props("list"));
        actor.Tell(new GetState(), TestActor);

        var state = await ExpectMsgAsync<State>();
        Assert.Equal(["old"], state.Items);
        Assert.Equal(1, state.LastSequenceNr);
        await journal.DisposeAsync();
    }

    [Fact]
    public async Task Recovery_failure_on_an_unknown_manifest_stops_the_actor_and_publishes_RecoveryFailure()
    {
        var oldBuild = new EventRegistry(scanLoadedAssemblies: false).Register(typeof(RetiredEvent), "test.retired-event.v1");
        await using (var writer = new SqliteJournal(DbPath, oldBuild))
        {
            await writer.WriteAsync([new AtomicWrite(new PersistentRepr("list", 1, new RetiredEvent(1)))]);
        }

        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath));
        var failures = CreateTestProbe();
        Sys.EventStream.Subscribe(failures, typeof(RecoveryFailure));

        var actor = Sys.ActorOf(ListActor.Props("list"));
        Watch(actor);
        actor.Tell(new GetState(), TestActor);

        var failure = await failures.ExpectMsgAsync<RecoveryFailure>();
        Assert.Equal("list", failure.PersistenceId);
        Assert.IsType<UnknownManifestException>(failure.Cause);
        await ExpectTerminatedAsync(actor);
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task Recovery_failure_in_the_actors_own_replay_code_stops_it_at_that_event()
    {
        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath));
        var first = Sys.ActorOf(ListActor.Props("list"));
        foreach (var v in new[] { "a", "poison", "c" })
        {
            first.Tell(new Append(v), TestActor);
            await ExpectMsgAsync<Appended>();
        }

        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first);
        var failures = CreateTestProbe();
        Sys.EventStream.Subscribe(failures, typeof(RecoveryFailure));

        var second = Sys.ActorOf(ListActor.Props("list"));
        Watch(second);

        var failure = await failures.ExpectMsgAsync<RecoveryFailure>();
        Assert.Equal(2, failure.SequenceNr);
        Assert.Contains("poison", failure.Cause.Message);
        await ExpectTerminatedAsync(second);
    }

    [Fact]
    public async Task DeleteMessages_removes_old_events_without_reusing_their_sequence_nrs()
    {
        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath));
        var first = Sys.ActorOf(ListActor.Props("list"));
        foreach (var v in new[] { "a", "b", "c" })
        {
            first.Tell(new Append(v), TestActor);
            await ExpectMsgAsync<Appended>();
        }

        first.Tell(new DeleteUpTo(2), TestActor);
        Assert.Equal(new DeleteMessagesSuccess(2), await ExpectMsgAsync<DeleteMessagesSuccess>());
        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first);

        var recovery = CreateTestProbe();
        var second = Sys.ActorOf(ListActor.Props("list", recovery));
        var recovered = await recovery.FishForMessageAsync<Recovered>(_ => true);
        Assert.Equal(["c"], recovered.Items);
        Assert.Equal(3, recovered.LastSequenceNr);

        second.Tell(new DeleteUpTo(3), TestActor);
        await ExpectMsgAsync<DeleteMessagesSuccess>();
        second.Tell(new Append("d"), TestActor);
        Assert.Equal(new Appended("d", 4), await ExpectMsgAsync<Appended>());
    }

    [Fact]
    public async Task A_restart_after_a_failing_command_recovers_the_state_from_the_journal()
    {
        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath));
        var recovery = CreateTestProbe();
        var actor = Sys.ActorOf(ListActor.Props("list", recovery));
        await recovery.ExpectMsgAsync<Recovered>();
        actor.Tell(new AppendAll(["a", "b"]), TestActor);
        await ExpectMsgAsync<Appended>();
        await ExpectMsgAsync<Appended>();

        actor.Tell(new Crash(), TestActor);
        actor.Tell(new GetState(), TestActor);

        var recovered = await recovery.FishForMessageAsync<Recovered>(r => r.LastSequenceNr == 2);
        Assert.Equal(["a", "b"], recovered.Items);
        Assert.Equal(["a", "b"], (await ExpectMsgAsync<State>()).Items);
    }
}
