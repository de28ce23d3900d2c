using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Persistence.Tests.Conformance;

/// <summary>
/// What every journal must do, in the style of Akka's JournalSpec (Akka.Persistence.TCK is not served): driven through
/// the journal actor's own protocol with a TestProbe standing in for the persistent actor. Akka.NET has no separate
/// ReadHighestSequenceNr message: a journal reports its highest sequence number in the RecoverySuccess that ends every
/// ReplayMessages, which is what recovery uses, so the tests read it there.
/// </summary>
public abstract class JournalSpec : Akka.TestKit.Xunit2.TestKit
{
    private const int ActorInstanceId = 1;
    private readonly TestProbe _sender;

    protected JournalSpec(Config config, ITestOutputHelper output)
        : base(config, "journal-spec", output)
    {
        _sender = CreateTestProbe();
    }

    /// <summary>The journal serializes payloads and rejects one that cannot be (Akka's in-memory journal keeps objects).</summary>
    protected virtual bool SupportsRejectingNonSerializableObjects => true;

    /// <summary>A second write of a sequence number fails instead of adding a second row (the in-memory journal overwrites).</summary>
    protected virtual bool EnforcesUniqueSequenceNrs => true;

    /// <summary>
    /// A replay that starts past the last event still reports the highest sequence number (in-memory), rather than the
    /// highest at or after fromSequenceNr, which is 0 (Akka.Persistence.Sql; Akka treats fromSequenceNr as a hint and a
    /// recovering actor keeps the larger of this and its own number, so both are correct).
    /// </summary>
    protected virtual bool ReportsHighestSequenceNrBelowFrom => false;

    protected IActorRef Journal => Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);

    [Fact]
    public void Journal_replays_all_events_in_order_and_reports_the_highest_sequence_nr()
    {
        var pid = TestStores.NewPid();
        WriteEvents(pid, 1, 5);

        var replayed = Replay(pid, 1, long.MaxValue, long.MaxValue, out var highest);

        Assert.Equal([1L, 2, 3, 4, 5], replayed.Select(p => p.SequenceNr));
        Assert.Equal([1L, 2, 3, 4, 5], replayed.Select(p => ((Counted)p.Payload).Value));
        Assert.All(replayed, p => Assert.Equal(pid, p.PersistenceId));
        Assert.Equal(5, highest);
    }

    [Fact]
    public void Journal_replays_only_the_requested_range_and_at_most_max_events()
    {
        var pid = TestStores.NewPid();
        WriteEvents(pid, 1, 5);

        Assert.Equal([2L, 3, 4], Replay(pid, 2, 4, long.MaxValue, out _).Select(p => p.SequenceNr));
        Assert.Equal([1L, 2], Replay(pid, 1, long.MaxValue, 2, out _).Select(p => p.SequenceNr));
        Assert.Equal([3L], Replay(pid, 3, 5, 1, out _).Select(p => p.SequenceNr));
        Assert.Empty(Replay(pid, 1, long.MaxValue, 0, out _));
        Assert.Empty(Replay(pid, 4, 3, long.MaxValue, out _));
    }

    [Fact]
    public void Journal_replays_nothing_past_the_end()
    {
        var pid = TestStores.NewPid();
        WriteEvents(pid, 1, 3);

        Assert.Empty(Replay(pid, 4, long.MaxValue, long.MaxValue, out var highest));
        Assert.Equal(ReportsHighestSequenceNrBelowFrom ? 3 : 0, highest);
        Assert.Empty(Replay(pid, 3, 2, long.MaxValue, out highest));
        Assert.Equal(3, highest);
    }

    [Fact]
    public void Journal_reports_zero_for_an_unknown_persistence_id()
    {
        Assert.Empty(Replay(TestStores.NewPid(), 1, long.MaxValue, long.MaxValue, out var highest));
        Assert.Equal(0, highest);
    }

    [Fact]
    public void Journal_keeps_the_highest_sequence_nr_after_deleting_events()
    {
        var pid = TestStores.NewPid();
        WriteEvents(pid, 1, 5);

        Delete(pid, 3);
        Assert.Equal([4L, 5], Replay(pid, 1, long.MaxValue, long.MaxValue, out var highest).Select(p => p.SequenceNr));
        Assert.Equal(5, highest);

        Delete(pid, 5);
        Assert.Empty(Replay(pid, 1, long.MaxValue, long.MaxValue, out highest));
        Assert.Equal(5, highest);

        // A recovering writer continues after the deleted numbers, never reusing one.
        WriteEvents(pid, 6, 6);
        Assert.Equal([6L], Replay(pid, 1, long.MaxValue, long.MaxValue, out highest).Select(p => p.SequenceNr));
        Assert.Equal(6, highest);
    }

    [Fact]
    public void Journal_deletes_only_events_of_its_own_persistence_id()
    {
        var (a, b) = (TestStores.NewPid("a"), TestStores.NewPid("b"));
        WriteEvents(a, 1, 2);
        WriteEvents(b, 1, 2);

        Delete(a, 2);

        Assert.Empty(Replay(a, 1, long.MaxValue, long.MaxValue, out _));
        Assert.Equal([1L, 2], Replay(b, 1, long.MaxValue, long.MaxValue, out _).Select(p => p.SequenceNr));
    }

    [Fact]
    public void Journal_writes_an_atomic_write_of_several_events_and_replays_them_in_order()
    {
        var pid = TestStores.NewPid();
        Write(new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(Repr(pid, 1), Repr(pid, 2), Repr(pid, 3))));
        _sender.ExpectMsg<WriteMessagesSuccessful>();
        for (var seq = 1; seq <= 3; seq++)
        {
            Assert.Equal(seq, _sender.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
        }

        Assert.Equal([1L, 2, 3], Replay(pid, 1, long.MaxValue, long.MaxValue, out _).Select(p => p.SequenceNr));
    }

    [Fact]
    public void Journal_rejects_an_unserializable_event_and_still_writes_the_others()
    {
        if (!SupportsRejectingNonSerializableObjects)
        {
            return;
        }

        var pid = TestStores.NewPid();
        Write(new AtomicWrite(Repr(pid, 1)), new AtomicWrite(Repr(pid, 2, new Unserializable())), new AtomicWrite(Repr(pid, 3)));

        _sender.ExpectMsg<WriteMessagesSuccessful>();
        Assert.Equal(1, _sender.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
        var rejected = _sender.ExpectMsg<WriteMessageRejected>();
        Assert.Equal(2, rejected.Persistent.SequenceNr);
        Assert.Contains("Unserializable", rejected.Cause.ToString());
        Assert.Equal(3, _sender.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
        Assert.Equal([1L, 3], Replay(pid, 1, long.MaxValue, long.MaxValue, out _).Select(p => p.SequenceNr));
    }

    [Fact]
    public void Journal_rejects_an_atomic_write_as_a_whole_when_one_of_its_events_cannot_be_serialized()
    {
        if (!SupportsRejectingNonSerializableObjects)
        {
            return;
        }

        var pid = TestStores.NewPid();
        Write(new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(
            Repr(pid, 1), Repr(pid, 2, new Unserializable()), Repr(pid, 3))));

        _sender.ExpectMsg<WriteMessagesSuccessful>();
        Assert.Equal([1L, 2, 3], Enumerable.Range(0, 3).Select(_ => _sender.ExpectMsg<WriteMessageRejected>().Persistent.SequenceNr));
        Assert.Empty(Replay(pid, 1, long.MaxValue, long.MaxValue, out var highest));
        Assert.Equal(0, highest);
    }

    [Fact]
    public void Journal_fails_a_second_write_of_a_sequence_nr_and_keeps_the_first()
    {
        var pid = TestStores.NewPid();
        WriteEvents(pid, 1, 3);

        Write(new AtomicWrite(Repr(pid, 3, new Counted("intruder", 3))));

        if (EnforcesUniqueSequenceNrs)
        {
            _sender.ExpectMsg<WriteMessagesFailed>();
            Assert.Equal(3, _sender.ExpectMsg<WriteMessageFailure>().Persistent.SequenceNr);
            var replayed = Replay(pid, 1, long.MaxValue, long.MaxValue, out _);
            Assert.Equal([1L, 2, 3], replayed.Select(p => p.SequenceNr));
            Assert.Equal("w", ((Counted)replayed[2].Payload).Writer);
        }
        else
        {
            // The in-memory journal accepts the write and replays it beside the first (documented in docs/persistence.md).
            _sender.ExpectMsg<WriteMessagesSuccessful>();
            _sender.ExpectMsg<WriteMessageSuccess>();
        }
    }

    [Fact]
    public void Journal_stores_nothing_of_an_atomic_write_whose_row_conflicts()
    {
        if (!EnforcesUniqueSequenceNrs)
        {
            return;
        }

        var pid = TestStores.NewPid();
        WriteEvents(pid, 1, 3);

        // A PersistAll that collides at its first event: the database transaction must take none of it.
        Write(new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(
            Repr(pid, 3, new Counted("intruder", 3)), Repr(pid, 4), Repr(pid, 5))));

        _sender.ExpectMsg<WriteMessagesFailed>();
        Assert.Equal([3L, 4, 5], Enumerable.Range(0, 3).Select(_ => _sender.ExpectMsg<WriteMessageFailure>().Persistent.SequenceNr));
        Assert.Equal([1L, 2, 3], Replay(pid, 1, long.MaxValue, long.MaxValue, out var highest).Select(p => p.SequenceNr));
        Assert.Equal(3, highest);
    }

    [Fact]
    public void Journal_commits_the_atomic_writes_of_one_WriteMessages_together_or_not_at_all()
    {
        if (!EnforcesUniqueSequenceNrs)
        {
            return;
        }

        var pid = TestStores.NewPid();
        WriteEvents(pid, 1, 2);

        // Every Persist an actor makes while handling one command arrives as one WriteMessages.
        Write(new AtomicWrite(Repr(pid, 3)), new AtomicWrite(Repr(pid, 2, new Counted("intruder", 2))));

        _sender.ExpectMsg<WriteMessagesFailed>();
        _sender.ExpectMsg<WriteMessageFailure>();
        _sender.ExpectMsg<WriteMessageFailure>();
        Assert.Equal([1L, 2], Replay(pid, 1, long.MaxValue, long.MaxValue, out _).Select(p => p.SequenceNr));
    }

    [Fact]
    public void Journal_keeps_interleaved_writers_apart()
    {
        var (a, b) = (TestStores.NewPid("a"), TestStores.NewPid("b"));
        for (var seq = 1; seq <= 4; seq++)
        {
            WriteEvents(a, seq, seq);
            WriteEvents(b, seq, seq);
        }

        Assert.Equal([1L, 2, 3, 4], Replay(a, 1, long.MaxValue, long.MaxValue, out _).Select(p => ((Counted)p.Payload).Value));
        Assert.All(Replay(b, 1, long.MaxValue, long.MaxValue, out _), p => Assert.Equal(b, p.PersistenceId));
    }

    protected void WriteEvents(string pid, long from, long to)
    {
        Write(Enumerable.Range((int)from, (int)(to - from + 1)).Select(seq => new AtomicWrite(Repr(pid, seq))).ToArray());
        _sender.ExpectMsg<WriteMessagesSuccessful>();
        for (var seq = from; seq <= to; seq++)
        {
            Assert.Equal(seq, _sender.ExpectMsg<WriteMessageSuccess>().Persistent.SequenceNr);
        }
    }

    protected List<IPersistentRepresentation> Replay(string pid, long from, long to, long max, out long highest)
    {
        Journal.Tell(new ReplayMessages(from, to, max, pid, _sender.Ref));
        var replayed = new List<IPersistentRepresentation>();
        while (true)
        {
            var message = _sender.ExpectMsg<object>();
            switch (message)
            {
                case ReplayedMessage r:
                    replayed.Add(r.Persistent);
                    break;
                case RecoverySuccess done:
                    highest = done.HighestSequenceNr;
                    return replayed;
                case ReplayMessagesFailure failure:
                    throw new Xunit.Sdk.XunitException($"replay failed: {failure.Cause}");
                default:
                    throw new Xunit.Sdk.XunitException($"unexpected {message}");
            }
        }
    }

    private void Delete(string pid, long to)
    {
        Journal.Tell(new DeleteMessagesTo(pid, to, _sender.Ref));
        Assert.Equal(to, _sender.ExpectMsg<DeleteMessagesSuccess>().ToSequenceNr);
    }

    private void Write(params AtomicWrite[] writes) =>
        Journal.Tell(new WriteMessages(writes, _sender.Ref, ActorInstanceId));

    private Persistent Repr(string pid, long seq, object? payload = null) =>
        new(payload ?? new Counted("w", seq), seq, pid, sender: ActorRefs.NoSender, writerGuid: "writer-1");
}
