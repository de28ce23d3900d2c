using Cuckoo.Actors;
using Cuckoo.Persistence;

namespace Cuckoo.Persistence.Benchmarks;

/// <summary>Persists events one after another, each after the previous one is durable (the scheduler's pattern).</summary>
public sealed class BenchActor(string persistenceId) : PersistentActor
{
    private int _left;
    private Countdown? _done;

    public override string PersistenceId => persistenceId;

    public static Props Props(string persistenceId) => Cuckoo.Actors.Props.Create(() => new BenchActor(persistenceId));

    protected override void ReceiveRecover(object message)
    {
    }

    protected override void ReceiveCommand(object message)
    {
        if (message is PersistMany run)
        {
            _left = run.Count;
            _done = run.Done;
            PersistOne();
        }
    }

    private void PersistOne() =>
        Persist(new Ticked(LastSequenceNr + 1), _ =>
        {
            if (--_left > 0)
            {
                PersistOne();
            }
            else
            {
                _done!.Signal();
            }
        });
}
