namespace Cuckoo.Persistence;

/// <summary>
/// The event journal: an append-only log per persistence id with unique, gap-free sequence numbers.
/// Implementations are thread-safe.
/// </summary>
public interface IJournal : IAsyncDisposable
{
    /// <summary>
    /// Appends events. Atomicity: all events of all <paramref name="writes"/> in one call are committed in one
    /// transaction, all or none, and the task completes only after the commit is durable. Calls from many
    /// callers are batched into one database transaction, each call isolated from the others, so one failing
    /// call never fails or partially commits another. There is no cancellation: a write that was accepted may
    /// already be committed.
    /// </summary>
    /// <exception cref="JournalConflictException">A sequence number already exists (another writer for the same persistence id).</exception>
    /// <exception cref="PersistenceSerializationException">A payload has no manifest or does not serialize; nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">The journal is disposed.</exception>
    Task WriteAsync(IReadOnlyList<AtomicWrite> writes);

    /// <summary>
    /// Calls <paramref name="callback"/> for each stored event of <paramref name="persistenceId"/> with
    /// <paramref name="fromSequenceNr"/> &lt;= sequence nr &lt;= <paramref name="toSequenceNr"/>, in sequence order,
    /// at most <paramref name="max"/> of them. Reads committed data only; deleted events are skipped.
    /// </summary>
    /// <exception cref="UnknownManifestException">A stored event's manifest names no known type.</exception>
    Task ReplayAsync(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<PersistentRepr> callback,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest sequence number ever committed for <paramref name="persistenceId"/> (0 if none), including
    /// events since deleted, so that a recovering writer never reuses a number.
    /// </summary>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes all events of <paramref name="persistenceId"/> up to and including <paramref name="toSequenceNr"/>.
    /// Atomicity: one transaction; the highest sequence number is remembered.
    /// </summary>
    Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);
}

/// <summary>A write conflicted with events already stored: two writers used the same persistence id.</summary>
public sealed class JournalConflictException : Exception
{
    public JournalConflictException(string persistenceId, long fromSequenceNr, long toSequenceNr, Exception? inner = null)
        : base($"Events {fromSequenceNr}..{toSequenceNr} of '{persistenceId}' conflict with events already stored: " +
               "another writer persisted under the same persistence id. Nothing of this write was stored.", inner)
    {
        PersistenceId = persistenceId;
        FromSequenceNr = fromSequenceNr;
        ToSequenceNr = toSequenceNr;
    }

    public string PersistenceId { get; }

    public long FromSequenceNr { get; }

    public long ToSequenceNr { get; }
}
