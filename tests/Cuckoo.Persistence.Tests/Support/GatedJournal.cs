namespace Cuckoo.Persistence.Tests;

/// <summary>Holds every write until <see cref="Open"/>, so a test can observe an actor while its write is not yet durable.</summary>
public sealed class GatedJournal(IJournal inner) : IJournal
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    public IJournal Inner => inner;

    /// <summary>Writes waiting at the gate.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Open() => _gate.TrySetResult();

    public async Task WriteAsync(IReadOnlyList<AtomicWrite> writes)
    {
        Interlocked.Increment(ref _waiting);
        await _gate.Task;
        Interlocked.Decrement(ref _waiting);
        await inner.WriteAsync(writes);
    }

    public Task ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> callback, CancellationToken cancellationToken = default) =>
        inner.ReplayAsync(persistenceId, fromSequenceNr, toSequenceNr, max, callback, cancellationToken);

    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) =>
        inner.ReadHighestSequenceNrAsync(persistenceId, cancellationToken);

    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
        inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
