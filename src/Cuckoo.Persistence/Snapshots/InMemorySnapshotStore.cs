namespace Cuckoo.Persistence;

/// <summary>Snapshots in process memory (serialized, like the SQL stores), for unit tests only.</summary>
public sealed class InMemorySnapshotStore(EventRegistry registry) : ISnapshotStore
{
    private readonly object _lock = new();
    private readonly Dictionary<(string, long), (long TimestampMs, string Manifest, byte[] Bytes)> _snapshots = new();

    public Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        SnapshotChecks.Validate(metadata, snapshot);
        var (manifest, bytes) = registry.Serialize(snapshot);
        lock (_lock)
        {
            _snapshots[(metadata.PersistenceId, metadata.SequenceNr)] = (metadata.Timestamp.ToUnixTimeMilliseconds(), manifest, bytes);
        }

        return Task.CompletedTask;
    }

    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        KeyValuePair<(string, long), (long TimestampMs, string Manifest, byte[] Bytes)>? best;
        lock (_lock)
        {
            best = _snapshots
                .Where(s => s.Key.Item1 == persistenceId && criteria.Matches(s.Key.Item2, s.Value.TimestampMs))
                .OrderByDescending(s => s.Key.Item2)
                .Cast<KeyValuePair<(string, long), (long, string, byte[])>?>()
                .FirstOrDefault();
        }

        if (best is not { } found)
        {
            return Task.FromResult<SelectedSnapshot?>(null);
        }

        var metadata = new SnapshotMetadata(persistenceId, found.Key.Item2, DateTimeOffset.FromUnixTimeMilliseconds(found.Value.TimestampMs));
        return Task.FromResult<SelectedSnapshot?>(new SelectedSnapshot(metadata, registry.Deserialize(found.Value.Manifest, found.Value.Bytes)));
    }

    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        lock (_lock)
        {
            _snapshots.Remove((metadata.PersistenceId, metadata.SequenceNr));
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        lock (_lock)
        {
            foreach (var key in _snapshots.Where(s => s.Key.Item1 == persistenceId && criteria.Matches(s.Key.Item2, s.Value.TimestampMs))
                         .Select(s => s.Key).ToList())
            {
                _snapshots.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal static class SnapshotChecks
{
    public static void Validate(SnapshotMetadata metadata, object snapshot)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrEmpty(metadata.PersistenceId, nameof(metadata));
        ArgumentOutOfRangeException.ThrowIfNegative(metadata.SequenceNr, nameof(metadata));
    }
}
