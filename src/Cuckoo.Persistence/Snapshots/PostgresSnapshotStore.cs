using Cuckoo.Persistence.Sql;
using Npgsql;

namespace Cuckoo.Persistence;

/// <summary>Snapshots in the same PostgreSQL database as the journal (table <c>snapshot</c>).</summary>
public sealed class PostgresSnapshotStore : ISnapshotStore
{
    private readonly PostgresDatabase _database;
    private readonly EventRegistry _registry;
    private readonly SemaphoreSlim _migrationLock = new(1, 1);
    private volatile bool _migrated;

    public PostgresSnapshotStore(string connectionString, EventRegistry registry)
    {
        _database = new PostgresDatabase(connectionString);
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
    }

    public async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        SnapshotChecks.Validate(metadata, snapshot);
        var (manifest, bytes) = _registry.Serialize(snapshot);
        await EnsureMigratedAsync().ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand("""
            INSERT INTO snapshot (persistence_id, sequence_nr, created_at, manifest, payload) VALUES (@pid, @seq, @at, @manifest, @payload)
            ON CONFLICT (persistence_id, sequence_nr) DO UPDATE
                SET created_at = excluded.created_at, manifest = excluded.manifest, payload = excluded.payload;
            """);
        command.Parameters.AddWithValue("pid", metadata.PersistenceId);
        command.Parameters.AddWithValue("seq", metadata.SequenceNr);
        command.Parameters.AddWithValue("at", metadata.Timestamp.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("manifest", manifest);
        command.Parameters.AddWithValue("payload", bytes);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        await EnsureMigratedAsync().ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand("""
            SELECT sequence_nr, created_at, manifest, payload FROM snapshot
            WHERE persistence_id = @pid AND sequence_nr BETWEEN @minSeq AND @maxSeq AND created_at BETWEEN @minAt AND @maxAt
            ORDER BY sequence_nr DESC LIMIT 1;
            """);
        AddCriteria(command, persistenceId, criteria);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var metadata = new SnapshotMetadata(persistenceId, reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
        return new SelectedSnapshot(metadata, _registry.Deserialize(reader.GetString(2), (byte[])reader.GetValue(3)));
    }

    public async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        await EnsureMigratedAsync().ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(
            "DELETE FROM snapshot WHERE persistence_id = @pid AND sequence_nr = @seq;");
        command.Parameters.AddWithValue("pid", metadata.PersistenceId);
        command.Parameters.AddWithValue("seq", metadata.SequenceNr);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        await EnsureMigratedAsync().ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand("""
            DELETE FROM snapshot
            WHERE persistence_id = @pid AND sequence_nr BETWEEN @minSeq AND @maxSeq AND created_at BETWEEN @minAt AND @maxAt;
            """);
        AddCriteria(command, persistenceId, criteria);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync().ConfigureAwait(false);
        _migrationLock.Dispose();
    }

    private async Task EnsureMigratedAsync()
    {
        if (_migrated)
        {
            return;
        }

        await _migrationLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await _database.MigrateAsync().ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migrationLock.Release();
        }
    }

    private static void AddCriteria(NpgsqlCommand command, string persistenceId, SnapshotSelectionCriteria criteria)
    {
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("minSeq", criteria.MinSequenceNr);
        command.Parameters.AddWithValue("maxSeq", criteria.MaxSequenceNr);
        command.Parameters.AddWithValue("minAt", criteria.MinTimestampMs);
        command.Parameters.AddWithValue("maxAt", criteria.MaxTimestampMs);
    }
}
