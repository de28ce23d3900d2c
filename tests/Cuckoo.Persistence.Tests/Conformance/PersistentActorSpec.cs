using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Persistence.Tests.Conformance;

/// <summary>
/// Akka.Persistence's persistent-actor features, run on each store: recovery, snapshots, PersistAll, PersistAsync,
/// DeferAsync, a rejected write, and two writers of one persistence id.
/// </summary>
public abstract class PersistentActorSpec : Akka.TestKit.Xunit2.TestKit
{
    protected PersistentActorSpec(Config config, ITestOutputHelper output)
        : base(config, "persistent-actor-spec", output)
    {
        Probe = CreateTestProbe();
    }

    protected PersistentActorSpec(Akka.Actor.Setup.ActorSystemSetup setup, ITestOutputHelper output)
        : base(setup, "persistent-actor-spec", output)
    {
        Probe = CreateTestProbe();
    }

    /// <inheritdoc cref="JournalSpec.SupportsRejectingNonSerializableObjects"/>
    protected virtual bool SupportsRejectingNonSerializableObjects => true;

    /// <inheritdoc cref="JournalSpec.EnforcesUniqueSequenceNrs"/>
    protected virtual bool EnforcesUniqueSequenceNrs => true;

    protected TestProbe Probe { get; }

    [Fact]
    public void Actor_recovers_its_events_in_order_after_a_restart()
    {
        var pid = TestStores.NewPid();
        var first = Start(pid);
        foreach (var item in new[] { "a", "b", "c" })
        {
            first.Tell(new Add(item));
            Assert.Equal(item, Probe.ExpectMsg<Persisted>().Item);
        }

        Stop(first);
        var second = Start(pid, expectRecoveredAt: 3, replayed: ["a", "b", "c"]);

        Assert.Equal(new[] { "a", "b", "c" }, StateOf(second).Items);
    }

    [Fact]
    public void Actor_recovers_from_its_snapshot_and_replays_only_later_events()
    {
        var pid = TestStores.NewPid();
        var first = Start(pid);
        first.Tell(new Add("a"));
        first.Tell(new Add("b"));
        Probe.ExpectMsg<Persisted>();
        Probe.ExpectMsg<Persisted>();
        first.Tell(new TakeSnapshot());
        Assert.Equal(2, Probe.ExpectMsg<SnapshotSaved>().SequenceNr);
        first.Tell(new Add("c"));
        Probe.ExpectMsg<Persisted>();
        Stop(first);

        var second = Sys.ActorOf(ListActor.Props(pid, Probe.Ref));
        var offer = Probe.ExpectMsg<SnapshotOffered>();
        Assert.Equal(2, offer.SequenceNr);
        Assert.Equal(["a", "b"], offer.Items);
        Assert.Equal(new Replayed("c", 3), Probe.ExpectMsg<Replayed>());
        Assert.Equal(3, Probe.ExpectMsg<Recovered>().LastSequenceNr);
        Assert.Equal(new[] { "a", "b", "c" }, StateOf(second).Items);
    }

    [Fact]
    public void PersistAll_runs_each_handler_in_order_and_recovers_the_whole_batch()
    {
        var pid = TestStores.NewPid();
        var first = Start(pid);
        first.Tell(new AddAll(["x", "y", "z"]));

        Assert.Equal(new Persisted("x", 1), Probe.ExpectMsg<Persisted>());
        Assert.Equal(new Persisted("y", 2), Probe.ExpectMsg<Persisted>());
        Assert.Equal(new Persisted("z", 3), Probe.ExpectMsg<Persisted>());
        Stop(first);
        Start(pid, expectRecoveredAt: 3, replayed: ["x", "y", "z"]);
    }

    [Fact]
    public void PersistAsync_keeps_taking_commands_and_DeferAsync_runs_after_the_handlers_before_it()
    {
        var pid = TestStores.NewPid();
        var actor = Start(pid);
        actor.Tell(new AddAsync("one"));
        actor.Tell(new AddAsync("two"));
        actor.Tell(new Ping("during"), Probe.Ref);

        // The handler and the deferred report of each command come in command order; Pong may come anywhere among them.
        var seen = new List<object>();
        Probe.FishForMessage(m =>
        {
            seen.Add(m);
            return seen.OfType<Deferred>().Count() == 2 && seen.OfType<Pong>().Any();
        });
        Assert.Equal(
            new object[] { new Persisted("one", 1), new Deferred("one"), new Persisted("two", 2), new Deferred("two") },
            seen.Where(m => m is not Pong).ToArray());

        actor.Tell(new AddThenDefer("three"));
        Assert.Equal(new Persisted("three", 3), Probe.ExpectMsg<Persisted>());
        Assert.Equal(new Deferred("three"), Probe.ExpectMsg<Deferred>());
        Stop(actor);
        Start(pid, expectRecoveredAt: 3, replayed: ["one", "two", "three"]);
    }

    [Fact]
    public void A_rejected_write_reaches_the_actor_which_carries_on_with_the_next_sequence_nr()
    {
        if (!SupportsRejectingNonSerializableObjects)
        {
            return;
        }

        var pid = TestStores.NewPid();
        var actor = Start(pid);
        actor.Tell(new Add("before"));
        Probe.ExpectMsg<Persisted>();

        actor.Tell(new AddUnserializable());
        var rejected = Probe.ExpectMsg<Rejected>();
        Assert.Equal(2, rejected.SequenceNr);

        actor.Tell(new Add("after"));
        Assert.Equal(new Persisted("after", 3), Probe.ExpectMsg<Persisted>());
        Stop(actor);
        Start(pid, expectRecoveredAt: 3, replayed: ["before", "after"]);
    }

    [Fact]
    public void Two_writers_of_one_persistence_id_cannot_both_write_a_sequence_nr()
    {
        var pid = TestStores.NewPid();
        var winnerProbe = CreateTestProbe();
        var loserProbe = CreateTestProbe();
        var winner = Sys.ActorOf(ListActor.Props(pid, winnerProbe.Ref));
        var loser = Sys.ActorOf(ListActor.Props(pid, loserProbe.Ref));
        winnerProbe.ExpectMsg<Recovered>();
        loserProbe.ExpectMsg<Recovered>();
        Watch(loser);

        winner.Tell(new Add("winner"));
        Assert.Equal(new Persisted("winner", 1), winnerProbe.ExpectMsg<Persisted>());
        loser.Tell(new Add("loser"));

        if (EnforcesUniqueSequenceNrs)
        {
            // Akka stops a persistent actor whose write failed: its state can no longer be trusted.
            Assert.Equal(1, loserProbe.ExpectMsg<Failed>().SequenceNr);
            ExpectTerminated(loser);
            Stop(winner);
            Start(pid, expectRecoveredAt: 1, replayed: ["winner"]);
        }
        else
        {
            Assert.Equal(new Persisted("loser", 1), loserProbe.ExpectMsg<Persisted>());
        }
    }

    private IActorRef Start(string pid, long expectRecoveredAt = 0, IReadOnlyList<string>? replayed = null)
    {
        var actor = Sys.ActorOf(ListActor.Props(pid, Probe.Ref));
        foreach (var item in replayed ?? [])
        {
            Assert.Equal(item, Probe.ExpectMsg<Replayed>().Item);
        }

        Assert.Equal(expectRecoveredAt, Probe.ExpectMsg<Recovered>().LastSequenceNr);
        return actor;
    }

    private State StateOf(IActorRef actor)
    {
        actor.Tell(new GetState(), Probe.Ref);
        return Probe.ExpectMsg<State>();
    }

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
        Unwatch(actor);
    }
}
