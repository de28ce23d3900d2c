using System.Threading.Channels;

namespace Cuckoo.Persistence;

/// <summary>
/// Base of the journals: callers' writes go into a channel that one writer loop drains, committing everything
/// it finds (up to <c>maxBatchEvents</c> events) in one transaction and completing each caller's task after the
/// commit. One transaction per batch instead of per write is what makes many actors persisting at once cheap.
/// </summary>
public abstract class BatchingJournal : IJournal
{
    private readonly Channel<PendingWrite> _queue =
        Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    private readonly int _maxBatchEvents;
    private readonly object _initLock = new();
    private readonly Task _writerLoop;
    private Task? _initialization;
    private long _batchesCommitted;
    private long _writesCommitted;
    private volatile bool _disposed;

    private protected BatchingJournal(EventRegistry registry, TimeProvider time, int maxBatchEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchEvents, 1);
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Time = time ?? throw new ArgumentNullException(nameof(time));
        _maxBatchEvents = maxBatchEvents;
        _writerLoop = Task.Run(WriterLoopAsync);
    }

    public EventRegistry Registry { get; }

    protected TimeProvider Time { get; }

    /// <summary>Transactions the writer loop committed (each holds one or more callers' writes).</summary>
    public long BatchesCommitted => Interlocked.Read(ref _batchesCommitted);

    /// <summary>Calls to <see cref="WriteAsync"/> that were committed.</summary>
    public long WritesCommitted => Interlocked.Read(ref _writesCommitted);

    public Task WriteAsync(IReadOnlyList<AtomicWrite> writes)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(writes, completion, null);
        return completion.Task;
    }

    /// <summary>
    /// Like <see cref="WriteAsync"/>, but calls <paramref name="onCompleted"/> (null on success) on the writer loop's
    /// thread instead of completing a task: a persistent actor only needs to tell itself, which saves a thread-pool
    /// hop per write. The callback must be quick and must not throw.
    /// </summary>
    internal void Write(IReadOnlyList<AtomicWrite> writes, Action<Exception?> onCompleted) => Enqueue(writes, null, onCompleted);

    private void Enqueue(IReadOnlyList<AtomicWrite> writes, TaskCompletionSource? completion, Action<Exception?>? callback)
    {
        Exception? rejected = null;
        JournalRow[] rows = [];
        if (_disposed)
        {
            rejected = new ObjectDisposedException(GetType().Name);
        }
        else
        {
            try
            {
                ArgumentNullException.ThrowIfNull(writes);
                rows = Serialize(writes);
            }
            catch (Exception e)
            {
                rejected = e;
            }
        }

        var pending = new PendingWrite(rows, completion, callback);
        if (rejected is not null)
        {
            pending.Complete(rejected);
        }
        else if (rows.Length == 0)
        {
            pending.Complete(null);
        }
        else if (!_queue.Writer.TryWrite(pending))
        {
            pending.Complete(new ObjectDisposedException(GetType().Name));
        }
    }

    public abstract Task ReplayAsync(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<PersistentRepr> callback,
        CancellationToken cancellationToken = default);

    public abstract Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default);

    public abstract Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);

    /// <summary>Stops accepting writes, commits those already accepted, then releases the storage.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        await DisposeStorageAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates or migrates the schema; runs once, retried on the next use if it failed.</summary>
    private protected abstract Task InitializeAsync();

    /// <summary>
    /// Commits <paramref name="batch"/> in one transaction, isolating each pending write (all its rows or none).
    /// Returns one entry per pending write: null when committed, else why not. Throwing fails the whole batch.
    /// </summary>
    private protected abstract Task<Exception?[]> WriteBatchAsync(IReadOnlyList<PendingWrite> batch);

    private protected abstract ValueTask DisposeStorageAsync();

    private protected Task EnsureInitializedAsync()
    {
        lock (_initLock)
        {
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
            {
                _initialization = InitializeAsync();
            }

            return _initialization;
        }
    }

    private protected PersistentRepr ToRepr(string persistenceId, long sequenceNr, string manifest, byte[] payload, long writtenAtMs) =>
        new(persistenceId, sequenceNr, Registry.Deserialize(manifest, payload), manifest,
            DateTimeOffset.FromUnixTimeMilliseconds(writtenAtMs));

    private static void ValidateRange(long fromSequenceNr, long toSequenceNr, long max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSequenceNr);
        ArgumentOutOfRangeException.ThrowIfNegative(toSequenceNr);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
    }

    private protected static void ValidateReplay(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> callback)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(callback);
        ValidateRange(fromSequenceNr, toSequenceNr, max);
    }

    private JournalRow[] Serialize(IReadOnlyList<AtomicWrite> writes)
    {
        var writtenAt = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = new List<JournalRow>();
        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write, nameof(writes));
            foreach (var e in write.Events)
            {
                var (manifest, bytes) = Registry.Serialize(e.Payload);
                rows.Add(new JournalRow(e.PersistenceId, e.SequenceNr, manifest, bytes, writtenAt));
            }
        }

        return rows.ToArray();
    }

    private async Task WriterLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingWrite>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var events = 0;
            while (events < _maxBatchEvents && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                events += pending.Rows.Length;
            }

            Exception?[] results;
            try
            {
                await EnsureInitializedAsync().ConfigureAwait(false);
                results = await WriteBatchAsync(batch).ConfigureAwait(false);
                Interlocked.Increment(ref _batchesCommitted);
            }
            catch (Exception e)
            {
                results = new Exception?[batch.Count];
                Array.Fill(results, e);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                if (results[i] is null)
                {
                    Interlocked.Increment(ref _writesCommitted);
                }

                batch[i].Complete(results[i]);
            }
        }
    }
}

/// <summary>One serialized event row.</summary>
internal readonly record struct JournalRow(string PersistenceId, long SequenceNr, string Manifest, byte[] Payload, long WrittenAtMs);

/// <summary>One write call waiting for the writer loop; completes a task or calls back.</summary>
internal sealed class PendingWrite(JournalRow[] rows, TaskCompletionSource? completion, Action<Exception?>? callback)
{
    public JournalRow[] Rows { get; } = rows;

    public void Complete(Exception? error)
    {
        if (callback is not null)
        {
            try
            {
                callback(error);
            }
            catch
            {
                // A broken callback must not stop the writer loop; the caller is told nothing more.
            }

            return;
        }

        if (error is null)
        {
            completion!.TrySetResult();
        }
        else
        {
            completion!.TrySetException(error);
        }
    }

    public JournalConflictException Conflict(Exception inner) =>
        new(Rows[0].PersistenceId, Rows[0].SequenceNr, Rows[^1].SequenceNr, inner);
}
