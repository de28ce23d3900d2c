using Akka.Actor;
using Akka.Persistence;

namespace Cuckoo.Persistence.Tests;

/// <summary>
/// A persistent list of strings that reports every step (handlers, replay, snapshot offers, rejections, failures) to a
/// probe, so that tests of each store can assert what Akka.Persistence did.
/// </summary>
public sealed class ListActor : ReceivePersistentActor
{
    private readonly IActorRef _probe;
    private List<string> _items = [];

    public ListActor(string persistenceId, IActorRef probe)
    {
        PersistenceId = persistenceId;
        _probe = probe;

        Recover<SnapshotOffer>(offer =>
        {
            _items = [.. ((ListSnapshot)offer.Snapshot).Items];
            _probe.Tell(new SnapshotOffered(offer.Metadata.SequenceNr, _items.ToArray()));
        });
        Recover<ItemAdded>(e =>
        {
            _items.Add(e.Item);
            _probe.Tell(new Replayed(e.Item, LastSequenceNr));
        });
        Recover<RecoveryCompleted>(_ => _probe.Tell(new Recovered(LastSequenceNr)));

        Command<Add>(c => Persist(new ItemAdded(c.Item), Handle));
        Command<AddAll>(c => PersistAll(c.Items.Select(i => new ItemAdded(i)), Handle));
        Command<AddAsync>(c =>
        {
            PersistAsync(new ItemAdded(c.Item), Handle);
            DeferAsync(c.Item, i => _probe.Tell(new Deferred(i)));
        });
        Command<AddThenDefer>(c =>
        {
            Persist(new ItemAdded(c.Item), Handle);
            DeferAsync(c.Item, i => _probe.Tell(new Deferred(i)));
        });
        Command<AddUnserializable>(_ => Persist(new Unserializable(), _ => _probe.Tell(new Persisted("unserializable", LastSequenceNr))));
        Command<TakeSnapshot>(_ => SaveSnapshot(new ListSnapshot(_items.ToArray())));
        Command<SaveSnapshotSuccess>(s => _probe.Tell(new SnapshotSaved(s.Metadata.SequenceNr)));
        Command<GetState>(_ => Sender.Tell(new State(_items.ToArray(), LastSequenceNr)));
        Command<Ping>(p => Sender.Tell(new Pong(p.Token)));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, IActorRef probe) =>
        Akka.Actor.Props.Create(() => new ListActor(persistenceId, probe));

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _probe.Tell(new Rejected(cause.Message, sequenceNr));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _probe.Tell(new Failed(cause.Message, sequenceNr));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Handle(ItemAdded e)
    {
        _items.Add(e.Item);
        _probe.Tell(new Persisted(e.Item, LastSequenceNr));
    }
}
