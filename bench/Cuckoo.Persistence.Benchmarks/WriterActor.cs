using Akka.Actor;
using Akka.Persistence;

namespace Cuckoo.Persistence.Benchmarks;

/// <summary>Persists one <see cref="Ticked"/> per recorded value in the given <see cref="WriteMode"/>; every handler calls <c>handled</c>.</summary>
public sealed class WriterActor : ReceivePersistentActor
{
    private readonly Action _handled;
    private readonly List<Ticked> _pending = [];
    private bool _writing;

    public WriterActor(string persistenceId, WriteMode mode, Action handled)
    {
        PersistenceId = persistenceId;
        _handled = handled;
        Recover<Ticked>(_ => { });
        switch (mode)
        {
            case WriteMode.Persist:
                Command<Record>(r => PersistChain(r.First, r.First + r.Count - 1));
                break;
            case WriteMode.PersistAll:
                Command<Record>(r => PersistAll(Events(r), _ => _handled()));
                break;
            case WriteMode.PersistAsync:
                Command<Record>(r => PersistAsync(new Ticked(r.First), _ => _handled()));
                break;
            case WriteMode.Batching:
                Command<Record>(r =>
                {
                    _pending.AddRange(Events(r));
                    if (!_writing)
                    {
                        Flush();
                    }
                });
                break;
        }
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, WriteMode mode, Action handled) =>
        Akka.Actor.Props.Create(() => new WriterActor(persistenceId, mode, handled));

    /// <summary>Each handler persists the next event: one write in flight, nothing stashed (the scheduler's pattern).</summary>
    private void PersistChain(long next, long last) =>
        Persist(new Ticked(next), _ =>
        {
            _handled();
            if (next < last)
            {
                PersistChain(next + 1, last);
            }
        });

    private static IEnumerable<Ticked> Events(Record r) => Enumerable.Range(0, r.Count).Select(i => new Ticked(r.First + i));

    /// <summary>PersistAllAsync keeps the mailbox open, so commands arriving meanwhile gather in <see cref="_pending"/>.</summary>
    private void Flush()
    {
        var batch = _pending.ToArray();
        _pending.Clear();
        _writing = true;
        var left = batch.Length;
        PersistAllAsync(batch, _ =>
        {
            _handled();
            if (--left == 0)
            {
                _writing = false;
                if (_pending.Count > 0)
                {
                    Flush();
                }
            }
        });
    }
}
