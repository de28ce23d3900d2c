using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Persistence.Tests;

public sealed class PersistentActorTests : PersistenceTestKit
{
    [Fact]
    public async Task Persist_runs_the_handler_only_after_the_write_is_durable()
    {
        var journal = new GatedJournal(new InMemoryJournal(new EventRegistry()));
        Sys.UsePersistence(PersistenceSettings.InMemory() with { Journal = journal });
        var actor = Sys.ActorOf(ListActor.Props("list"));

        actor.Tell(new Append("a"), TestActor);
        await AwaitConditionAsync(() => journal.Waiting == 1);
        await ExpectNoMsgAsync(Quiet);
        Assert.Equal(0, await journal.ReadHighestSequenceNrAsync("list"));

        journal.Open();

        Assert.Equal(new Appended("a", 1), await ExpectMsgAsync<Appended>());
        Assert.Equal(1, await journal.ReadHighestSequenceNrAsync("list"));
        await journal.Inner.DisposeAsync();
    }

    [Fact]
    public async Task Commands_arriving_during_a_persist_are_stashed_and_handled_in_order()
    {
        var journal = new GatedJournal(new InMemoryJournal(new EventRegistry()));
        Sys.UsePersistence(PersistenceSettings.InMemory() with { Journal = journal });
        var actor = Sys.ActorOf(ListActor.Props("list"));

        actor.Tell(new Append("a"), TestActor);
        actor.Tell(new GetState(), TestActor);
        actor.Tell(new Append("b"), TestActor);
        actor.Tell(new GetState(), TestActor);
        await AwaitConditionAsync(() => journal.Waiting == 1);
        await ExpectNoMsgAsync(Quiet);

        journal.Open();

        Assert.Equal(new Appended("a", 1), await ExpectMsgAsync<Appended>());
        Assert.Equal(["a"], (await ExpectMsgAsync<State>()).Items);
        Assert.Equal(new Appended("b", 2), await ExpectMsgAsync<Appended>());
        var state = await ExpectMsgAsync<State>();
        Assert.Equal(["a", "b"], state.Items);
        Assert.Equal(2, state.LastSequenceNr);
        await journal.Inner.DisposeAsync();
    }

    [Fact]
    public async Task PersistAll_runs_each_handler_in_order_after_one_atomic_write()
    {
        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath));
        var actor = Sys.ActorOf(ListActor.Props("list"));

        actor.Tell(new AppendAll(["x", "y", "z"]), TestActor);

        Assert.Equal(new Appended("x", 1), await ExpectMsgAsync<Appended>());
        Assert.Equal(new Appended("y", 2), await ExpectMsgAsync<Appended>());
        Assert.Equal(new Appended("z", 3), await ExpectMsgAsync<Appended>());
        var journal = PersistenceExtension.Get(Sys).Journal;
        Assert.Equal(3, await journal.ReadHighestSequenceNrAsync("list"));
    }

    [Fact]
    public async Task Persist_failure_from_a_concurrent_writer_stops_the_actor_without_running_the_handler()
    {
        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath));
        var actor = Sys.ActorOf(ListActor.Props("list"));
        actor.Tell(new GetState(), TestActor);
        await ExpectMsgAsync<State>();

        // Another writer takes sequence nr 1 behind the recovered actor's back.
        var journal = PersistenceExtension.Get(Sys).Journal;
        await journal.WriteAsync([new AtomicWrite(new PersistentRepr("list", 1, new ItemAdded("intruder")))]);
        Watch(actor);
        actor.Tell(new Append("mine"), TestActor);

        await ExpectTerminatedAsync(actor);
        var stored = new List<PersistentRepr>();
        await journal.ReplayAsync("list", 1, long.MaxValue, long.MaxValue, stored.Add);
        Assert.Equal(new ItemAdded("intruder"), Assert.Single(stored).Payload);
    }

    [Fact]
    public async Task Persisting_an_event_without_manifest_stops_the_actor()
    {
        Sys.UsePersistence(PersistenceSettings.Sqlite(DbPath));
        var actor = Sys.ActorOf(ListActor.Props("list"));
        Watch(actor);

        actor.Tell(new AppendUnserializable(), TestActor);

        await ExpectTerminatedAsync(actor);
        Assert.Equal(0, await PersistenceExtension.Get(Sys).Journal.ReadHighestSequenceNrAsync("list"));
    }

    [Fact]
    public async Task BecomeCommand_swaps_the_command_behaviour_and_back()
    {
        Sys.UsePersistence(PersistenceSettings.InMemory());
        var actor = Sys.ActorOf(ListActor.Props("list"));

        actor.Tell(new Freeze(), TestActor);
        actor.Tell(new Append("a"), TestActor);
        Assert.Equal(new Refused("a"), await ExpectMsgAsync<Refused>());
        actor.Tell(new Thaw(), TestActor);
        actor.Tell(new Append("b"), TestActor);

        Assert.Equal(new Appended("b", 1), await ExpectMsgAsync<Appended>());
    }

    [Fact]
    public void Persistence_must_be_installed_and_cannot_be_reconfigured()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => PersistenceExtension.Get(Sys));
        Assert.Contains("UsePersistence", missing.Message);

        var settings = PersistenceSettings.Sqlite(DbPath);
        var installed = Sys.UsePersistence(settings);
        Assert.Same(installed, Sys.UsePersistence(settings));
        Assert.Same(installed, PersistenceExtension.Get(Sys));
        Assert.Throws<InvalidOperationException>(() => Sys.UsePersistence(PersistenceSettings.Sqlite(FileIn("other.db"))));
        Assert.Throws<ArgumentException>(() => PersistenceSettings.Postgres(" ").Validate());
    }
}
