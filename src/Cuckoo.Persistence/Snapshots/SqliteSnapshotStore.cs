using Cuckoo.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace Cuckoo.Persistence;

/// <summary>Snapshots in the same SQLite file as the journal (table <c>snapshot</c>).</summary>
public sealed class SqliteSnapshotStore : ISnapshotStore
{
    private readonly SqliteDatabase _database;
    private readonly EventRegistry _registry;
    private readonly Lazy<bool> _migrated;

    /// <param name="path">The database file; created with its folder if missing.</param>
    /// <param name="registry">Snapshot manifests and serialization.</param>
    /// <param name="durability">Commit durability (default <see cref="SqliteDurability.Full"/>).</param>
    public SqliteSnapshotStore(string path, EventRegistry registry, SqliteDurability durability = SqliteDurability.Full)
    {
        _database = new SqliteDatabase(path, durability);
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _migrated = new Lazy<bool>(() => { _database.Migrate(); return true; }, LazyThreadSafetyMode.PublicationOnly);
    }

    public Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        SnapshotChecks.Validate(metadata, snapshot);
        var (manifest, bytes) = _registry.Serialize(snapshot);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO snapshot (persistence_id, sequence_nr, created_at, manifest, payload) VALUES ($pid, $seq, $at, $manifest, $payload)
            ON CONFLICT (persistence_id, sequence_nr) DO UPDATE
                SET created_at = excluded.created_at, manifest = excluded.manifest, payload = excluded.payload;
            """;
        command.Parameters.AddWithValue("$pid", metadata.PersistenceId);
        command.Parameters.AddWithValue("$seq", metadata.SequenceNr);
        command.Parameters.AddWithValue("$at", metadata.Timestamp.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$manifest", manifest);
        command.Parameters.AddWithValue("$payload", bytes);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence_nr, created_at, manifest, payload FROM snapshot
            WHERE persistence_id = $pid AND sequence_nr BETWEEN $minSeq AND $maxSeq AND created_at BETWEEN $minAt AND $maxAt
            ORDER BY sequence_nr DESC LIMIT 1;
            """;
        AddCriteria(command, persistenceId, criteria);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return Task.FromResult<SelectedSnapshot?>(null);
        }

        var metadata = new SnapshotMetadata(persistenceId, reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
        var snapshot = _registry.Deserialize(reader.GetString(2), (byte[])reader.GetValue(3));
        return Task.FromResult<SelectedSnapshot?>(new SelectedSnapshot(metadata, snapshot));
    }

    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM snapshot WHERE persistence_id = $pid AND sequence_nr = $seq;";
        command.Parameters.AddWithValue("$pid", metadata.PersistenceId);
        command.Parameters.AddWithValue("$seq", metadata.SequenceNr);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM snapshot
            WHERE persistence_id = $pid AND sequence_nr BETWEEN $minSeq AND $maxSeq AND created_at BETWEEN $minAt AND $maxAt;
            """;
        AddCriteria(command, persistenceId, criteria);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _database.ReleasePool();
        return ValueTask.CompletedTask;
    }

    private SqliteConnection Open()
    {
        _ = _migrated.Value;
        return _database.Open();
    }

    private static void AddCriteria(SqliteCommand command, string persistenceId, SnapshotSelectionCriteria criteria)
    {
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$minSeq", criteria.MinSequenceNr);
        command.Parameters.AddWithValue("$maxSeq", criteria.MaxSequenceNr);
        command.Parameters.AddWithValue("$minAt", criteria.MinTimestampMs);
        command.Parameters.AddWithValue("$maxAt", criteria.MaxTimestampMs);
    }
}
