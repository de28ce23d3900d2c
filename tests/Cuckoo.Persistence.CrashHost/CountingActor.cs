using Akka.Actor;
using Akka.Persistence;

namespace Cuckoo.Persistence.CrashHost;

/// <summary>
/// Persists <see cref="CountedEvent"/>s one after another and prints <c>P id n ;</c> after each handler ran,
/// i.e. after the event is durable. In recover-only mode it prints <c>R id n ;</c> per replayed event and
/// <c>D id last ;</c> when recovery completes, and persists nothing.
/// </summary>
public sealed class CountingActor : ReceivePersistentActor
{
    private readonly bool _persist;
    private long _count;

    public CountingActor(string persistenceId, bool persist, TaskCompletionSource recovered)
    {
        PersistenceId = persistenceId;
        _persist = persist;

        Recover<CountedEvent>(e =>
        {
            _count = e.Value;
            if (!_persist)
            {
                Console.WriteLine($"R {PersistenceId} {e.Value} ;");
            }
        });
        Recover<RecoveryCompleted>(_ =>
        {
            if (!_persist)
            {
                Console.WriteLine($"D {PersistenceId} {LastSequenceNr} ;");
            }

            recovered.TrySetResult();
            if (_persist)
            {
                Self.Tell(new PersistNext());
            }
        });
        Command<PersistNext>(_ => Persist(new CountedEvent(_count + 1), e =>
        {
            _count = e.Value;
            Console.WriteLine($"P {PersistenceId} {e.Value} ;");
            Self.Tell(new PersistNext());
        }));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, bool persist, TaskCompletionSource recovered) =>
        Akka.Actor.Props.Create(() => new CountingActor(persistenceId, persist, recovered));
}
