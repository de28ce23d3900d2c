namespace Cuckoo.Persistence.Benchmarks;

/// <summary>Record <see cref="Count"/> events (<see cref="WriteMode.PersistAll"/> persists them together, <see cref="WriteMode.Persist"/> one after another).</summary>
public sealed record Record(long First, int Count);

[EventManifest("bench.ticked.v1")]
public sealed record Ticked(long Value) : IPersistedEvent;

/// <summary>How a <see cref="WriterActor"/> turns commands into journal writes.</summary>
public enum WriteMode
{
    /// <summary><c>Persist</c> per event, the next one from the handler of the last: one write in flight per actor.</summary>
    Persist,

    /// <summary><c>PersistAll</c> of each command's events: one atomic write per command.</summary>
    PersistAll,

    /// <summary><c>PersistAsync</c> per event: commands keep flowing, many writes in flight per actor.</summary>
    PersistAsync,

    /// <summary>Batching in the actor: events of commands that arrive while a write is in flight go out in one <c>PersistAll</c>.</summary>
    Batching,
}

/// <summary>Counts handled events across all writers and completes when the last one ran.</summary>
public sealed class Countdown(long count)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _remaining = count;

    public Task Task => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }
}
