using Akka.Actor;
using Akka.Persistence;
using Cuckoo.Persistence;

namespace Cuckoo.Cluster.Tests.Lease;

[EventManifest("test.lease.item-written.v1")]
public sealed record ItemWritten(string Item) : IPersistedEvent;

/// <summary>A persistent list standing in for the scheduler: reports recovery, each persisted item and each failure.</summary>
public sealed class FencedWriter : ReceivePersistentActor
{
    private readonly List<string> _items = [];
    private readonly IActorRef _probe;

    public FencedWriter(string persistenceId, IActorRef probe)
    {
        PersistenceId = persistenceId;
        _probe = probe;
        Recover<ItemWritten>(e => _items.Add(e.Item));
        Recover<RecoveryCompleted>(_ => probe.Tell(new WriterRecovered([.. _items])));
        Command<string>(item => Persist(new ItemWritten(item), e =>
        {
            _items.Add(e.Item);
            probe.Tell(new ItemPersisted(e.Item));
        }));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, IActorRef probe) =>
        Akka.Actor.Props.Create(() => new FencedWriter(persistenceId, probe));

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _probe.Tell(new PersistFailed(((ItemWritten)@event).Item, cause));
        // Akka stops the actor here: a scheduler whose write was fenced does not go on with a state the store lacks.
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}

public sealed record WriterRecovered(IReadOnlyList<string> Items);

public sealed record ItemPersisted(string Item);

public sealed record PersistFailed(string Item, Exception Cause);
