namespace Cuckoo.Persistence;

/// <summary>Stores snapshots of persistent actors' state, at most one per (persistence id, sequence nr). Thread-safe.</summary>
public interface ISnapshotStore : IAsyncDisposable
{
    /// <summary>
    /// Stores a snapshot. Atomicity: one transaction; a snapshot with the same persistence id and sequence nr is
    /// replaced, so a retried save never leaves two. The task completes after the commit is durable.
    /// </summary>
    /// <exception cref="PersistenceSerializationException">The snapshot has no manifest or does not serialize.</exception>
    Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default);

    /// <summary>The newest snapshot (highest sequence nr) matching <paramref name="criteria"/>, or null.</summary>
    /// <exception cref="UnknownManifestException">The snapshot's manifest names no known type.</exception>
    Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);

    /// <summary>Deletes the snapshot with this persistence id and sequence nr, if any. Atomicity: one statement.</summary>
    Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default);

    /// <summary>Deletes every snapshot matching <paramref name="criteria"/>. Atomicity: one statement, all or none.</summary>
    Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);
}
