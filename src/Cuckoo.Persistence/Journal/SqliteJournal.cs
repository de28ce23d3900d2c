using Cuckoo.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace Cuckoo.Persistence;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode. The writer loop keeps one connection and commits each
/// batch in one <c>BEGIN IMMEDIATE</c> transaction (redone with a savepoint per caller if one conflicts); readers use pooled connections
/// and see committed data only.
/// </summary>
public sealed class SqliteJournal : BatchingJournal
{
    private const string Insert =
        "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, written_at) VALUES ($pid, $seq, $manifest, $payload, $at);";

    private readonly SqliteDatabase _database;
    private SqliteConnection? _writer;

    /// <param name="path">The database file; created with its folder if missing.</param>
    /// <param name="registry">Event manifests and serialization.</param>
    /// <param name="time">Clock for write timestamps (system clock when null).</param>
    /// <param name="durability">Commit durability (default <see cref="SqliteDurability.Full"/>).</param>
    /// <param name="maxBatchEvents">Most events per transaction (default 1000).</param>
    public SqliteJournal(
        string path,
        EventRegistry registry,
        TimeProvider? time = null,
        SqliteDurability durability = SqliteDurability.Full,
        int maxBatchEvents = 1000)
        : base(registry, time ?? TimeProvider.System, maxBatchEvents)
    {
        _database = new SqliteDatabase(path, durability);
    }

    public string Path => _database.Path;

    public override async Task ReplayAsync(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<PersistentRepr> callback,
        CancellationToken cancellationToken = default)
    {
        ValidateReplay(persistenceId, fromSequenceNr, toSequenceNr, max, callback);
        await EnsureInitializedAsync().ConfigureAwait(false);
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence_nr, manifest, payload, written_at FROM journal
            WHERE persistence_id = $pid AND sequence_nr >= $from AND sequence_nr <= $to
            ORDER BY sequence_nr LIMIT $max;
            """;
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$from", fromSequenceNr);
        command.Parameters.AddWithValue("$to", toSequenceNr);
        command.Parameters.AddWithValue("$max", max);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            callback(ToRepr(persistenceId, reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetInt64(3)));
        }
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        await EnsureInitializedAsync().ConfigureAwait(false);
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COALESCE(MAX(h), 0) FROM (
                SELECT MAX(sequence_nr) AS h FROM journal WHERE persistence_id = $pid
                UNION ALL
                SELECT highest_deleted_sequence_nr FROM journal_metadata WHERE persistence_id = $pid);
            """;
        command.Parameters.AddWithValue("$pid", persistenceId);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(toSequenceNr);
        await EnsureInitializedAsync().ConfigureAwait(false);
        using var connection = _database.Open();
        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO journal_metadata (persistence_id, highest_deleted_sequence_nr)
            SELECT $pid, MAX(sequence_nr) FROM journal WHERE persistence_id = $pid AND sequence_nr <= $to HAVING MAX(sequence_nr) IS NOT NULL
            ON CONFLICT (persistence_id) DO UPDATE
                SET highest_deleted_sequence_nr = MAX(highest_deleted_sequence_nr, excluded.highest_deleted_sequence_nr);
            DELETE FROM journal WHERE persistence_id = $pid AND sequence_nr <= $to;
            """;
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$to", toSequenceNr);
        command.ExecuteNonQuery();
        tx.Commit();
    }

    private protected override Task InitializeAsync()
    {
        _database.Migrate();
        return Task.CompletedTask;
    }

    private protected override Task<Exception?[]> WriteBatchAsync(IReadOnlyList<PendingWrite> batch)
    {
        try
        {
            _writer ??= _database.Open();

            // Conflicts are rare: try the batch without per-caller savepoints first, and only redo it with them
            // (so that just the conflicting callers fail) when a unique violation shows up.
            return Task.FromResult(WriteBatch(_writer, batch, isolateCallers: false)
                ?? WriteBatch(_writer, batch, isolateCallers: true)!);
        }
        catch
        {
            // A connection that failed mid-transaction is not trusted again; the next batch opens a fresh one.
            _writer?.Dispose();
            _writer = null;
            throw;
        }
    }

    /// <summary>One transaction for the batch; null when a caller conflicted and callers were not isolated (rolled back).</summary>
    private static Exception?[]? WriteBatch(SqliteConnection connection, IReadOnlyList<PendingWrite> batch, bool isolateCallers)
    {
        var results = new Exception?[batch.Count];
        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = Insert;
        var pid = command.Parameters.Add("$pid", SqliteType.Text);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        var manifest = command.Parameters.Add("$manifest", SqliteType.Text);
        var payload = command.Parameters.Add("$payload", SqliteType.Blob);
        var at = command.Parameters.Add("$at", SqliteType.Integer);
        command.Prepare();
        for (var i = 0; i < batch.Count; i++)
        {
            if (isolateCallers)
            {
                tx.Save("w");
            }

            try
            {
                foreach (var row in batch[i].Rows)
                {
                    pid.Value = row.PersistenceId;
                    seq.Value = row.SequenceNr;
                    manifest.Value = row.Manifest;
                    payload.Value = row.Payload;
                    at.Value = row.WrittenAtMs;
                    command.ExecuteNonQuery();
                }

                if (isolateCallers)
                {
                    tx.Release("w");
                }
            }
            catch (SqliteException e) when (SqliteDatabase.IsUniqueViolation(e))
            {
                if (!isolateCallers)
                {
                    tx.Rollback();
                    return null;
                }

                tx.Rollback("w");
                tx.Release("w");
                results[i] = batch[i].Conflict(e);
            }
        }

        tx.Commit();
        return results;
    }

    private protected override ValueTask DisposeStorageAsync()
    {
        _writer?.Dispose();
        _writer = null;
        _database.ReleasePool();
        return ValueTask.CompletedTask;
    }
}
