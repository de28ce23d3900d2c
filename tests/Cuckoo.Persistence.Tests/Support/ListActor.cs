using Cuckoo.Actors;

namespace Cuckoo.Persistence.Tests;

/// <summary>A persistent list: the test subject for PersistentActor. Reports recovery steps to an optional probe.</summary>
public sealed class ListActor(string persistenceId, IActorRef? recoveryProbe) : PersistentActor
{
    private readonly List<string> _items = [];
    private IActorRef? _requester;

    public override string PersistenceId => persistenceId;

    public static Props Props(string persistenceId, IActorRef? recoveryProbe = null) =>
        Cuckoo.Actors.Props.Create(() => new ListActor(persistenceId, recoveryProbe));

    protected override void ReceiveRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: ListSnapshot snapshot } offer:
                _items.Clear();
                _items.AddRange(snapshot.Items);
                recoveryProbe?.Tell(new OfferedSnapshot(snapshot.Items, offer.Metadata.SequenceNr));
                break;
            case ItemAdded e when e.Value == "poison":
                throw new InvalidOperationException("cannot apply poison");
            case ItemAdded e:
                _items.Add(e.Value);
                recoveryProbe?.Tell(new Replayed(e.Value, LastSequenceNr));
                break;
            case RecoveryCompleted:
                recoveryProbe?.Tell(new Recovered(_items.ToArray(), LastSequenceNr, SnapshotSequenceNr));
                break;
        }
    }

    protected override void ReceiveCommand(object message)
    {
        switch (message)
        {
            case Append a:
                Persist(new ItemAdded(a.Value), e =>
                {
                    _items.Add(e.Value);
                    Sender?.Tell(new Appended(e.Value, LastSequenceNr));
                });
                break;
            case AppendAll all:
                PersistAll(all.Values.Select(v => new ItemAdded(v)), e =>
                {
                    _items.Add(e.Value);
                    Sender?.Tell(new Appended(e.Value, LastSequenceNr));
                });
                break;
            case AppendUnserializable:
                Persist(new NoManifestEvent(1), _ => Sender?.Tell("handler ran"));
                break;
            case GetState:
                Sender?.Tell(new State(_items.ToArray(), LastSequenceNr));
                break;
            case Freeze:
                BecomeCommand(Frozen);
                break;
            case Crash:
                throw new InvalidOperationException("crash requested");
            case TakeSnapshot:
                _requester = Sender;
                SaveSnapshot(new ListSnapshot(_items.ToArray()));
                break;
            case DeleteUpTo d:
                _requester = Sender;
                DeleteMessages(d.SequenceNr);
                break;
            case SaveSnapshotSuccess or SaveSnapshotFailure or DeleteMessagesSuccess or DeleteMessagesFailure:
                _requester?.Tell(message);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Frozen(object message)
    {
        switch (message)
        {
            case Append a:
                Sender?.Tell(new Refused(a.Value));
                break;
            case Thaw:
                BecomeCommand(null);
                break;
            default:
                ReceiveCommand(message);
                break;
        }
    }
}
