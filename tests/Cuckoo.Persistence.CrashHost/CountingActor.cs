using Cuckoo.Actors;
using Cuckoo.Persistence;

namespace Cuckoo.Persistence.CrashHost;

/// <summary>
/// Persists <see cref="CountedEvent"/>s one after another and prints <c>P id n ;</c> after each handler ran,
/// i.e. after the event is durable. In recover-only mode it prints <c>R id n ;</c> per replayed event and
/// <c>D id last ;</c> when recovery completes, and persists nothing.
/// </summary>
public sealed class CountingActor(string persistenceId, bool persist, TaskCompletionSource recovered) : PersistentActor
{
    private long _count;

    public override string PersistenceId => persistenceId;

    public static Props Props(string persistenceId, bool persist, TaskCompletionSource recovered) =>
        Cuckoo.Actors.Props.Create(() => new CountingActor(persistenceId, persist, recovered));

    protected override void ReceiveRecover(object message)
    {
        switch (message)
        {
            case CountedEvent e:
                _count = e.Value;
                if (!persist)
                {
                    Console.WriteLine($"R {PersistenceId} {e.Value} ;");
                }

                break;
            case RecoveryCompleted:
                if (!persist)
                {
                    Console.WriteLine($"D {PersistenceId} {LastSequenceNr} ;");
                }

                recovered.TrySetResult();
                if (persist)
                {
                    Self.Tell(new PersistNext());
                }

                break;
        }
    }

    protected override void ReceiveCommand(object message)
    {
        if (message is PersistNext)
        {
            Persist(new CountedEvent(_count + 1), e =>
            {
                _count = e.Value;
                Console.WriteLine($"P {PersistenceId} {e.Value} ;");
                Self.Tell(new PersistNext());
            });
        }
    }

    protected override void OnRecoveryFailure(Exception cause, long? sequenceNr) => recovered.TrySetException(cause);
}
