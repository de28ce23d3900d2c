using Cuckoo.Persistence.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Cuckoo.Persistence;

/// <summary>
/// The journal for several hosts sharing one PostgreSQL database. A batch is first tried as one multi-row
/// insert; only if it conflicts is it redone with a savepoint per caller, so the common case costs one round trip.
/// </summary>
public sealed class PostgresJournal : BatchingJournal
{
    private const string Insert = """
        INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, written_at)
        SELECT * FROM unnest(@pid, @seq, @manifest, @payload, @at);
        """;

    private readonly PostgresDatabase _database;

    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="registry">Event manifests and serialization.</param>
    /// <param name="time">Clock for write timestamps (system clock when null).</param>
    /// <param name="maxBatchEvents">Most events per transaction (default 1000).</param>
    public PostgresJournal(string connectionString, EventRegistry registry, TimeProvider? time = null, int maxBatchEvents = 1000)
        : base(registry, time ?? TimeProvider.System, maxBatchEvents)
    {
        _database = new PostgresDatabase(connectionString);
    }

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
        await using var command = _database.DataSource.CreateCommand("""
            SELECT sequence_nr, manifest, payload, written_at FROM journal
            WHERE persistence_id = @pid AND sequence_nr >= @from AND sequence_nr <= @to
            ORDER BY sequence_nr LIMIT @max;
            """);
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("from", fromSequenceNr);
        command.Parameters.AddWithValue("to", toSequenceNr);
        command.Parameters.AddWithValue("max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            callback(ToRepr(persistenceId, reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetInt64(3)));
        }
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        await EnsureInitializedAsync().ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand("""
            SELECT COALESCE(MAX(h), 0) FROM (
                SELECT MAX(sequence_nr) AS h FROM journal WHERE persistence_id = @pid
                UNION ALL
                SELECT highest_deleted_sequence_nr FROM journal_metadata WHERE persistence_id = @pid) AS x;
            """);
        command.Parameters.AddWithValue("pid", persistenceId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false));
    }

    public override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(toSequenceNr);
        await EnsureInitializedAsync().ConfigureAwait(false);
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO journal_metadata (persistence_id, highest_deleted_sequence_nr)
            SELECT @pid, MAX(sequence_nr) FROM journal WHERE persistence_id = @pid AND sequence_nr <= @to HAVING MAX(sequence_nr) IS NOT NULL
            ON CONFLICT (persistence_id) DO UPDATE
                SET highest_deleted_sequence_nr = GREATEST(journal_metadata.highest_deleted_sequence_nr, excluded.highest_deleted_sequence_nr);
            DELETE FROM journal WHERE persistence_id = @pid AND sequence_nr <= @to;
            """;
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("to", toSequenceNr);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private protected override Task InitializeAsync() => _database.MigrateAsync();

    private protected override async Task<Exception?[]> WriteBatchAsync(IReadOnlyList<PendingWrite> batch)
    {
        var results = new Exception?[batch.Count];
        await using var connection = await _database.DataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (var tx = await connection.BeginTransactionAsync().ConfigureAwait(false))
        {
            try
            {
                await InsertAsync(connection, tx, batch.SelectMany(p => p.Rows)).ConfigureAwait(false);
                await tx.CommitAsync().ConfigureAwait(false);
                return results;
            }
            catch (Exception e) when (PostgresDatabase.IsUniqueViolation(e) && batch.Count > 1)
            {
                await tx.RollbackAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (PostgresDatabase.IsUniqueViolation(e))
            {
                results[0] = batch[0].Conflict(e);
                return results;
            }
        }

        // Some caller conflicted: redo caller by caller so only the conflicting ones fail.
        await using var retry = await connection.BeginTransactionAsync().ConfigureAwait(false);
        for (var i = 0; i < batch.Count; i++)
        {
            await retry.SaveAsync("w").ConfigureAwait(false);
            try
            {
                await InsertAsync(connection, retry, batch[i].Rows).ConfigureAwait(false);
                await retry.ReleaseAsync("w").ConfigureAwait(false);
            }
            catch (Exception e) when (PostgresDatabase.IsUniqueViolation(e))
            {
                await retry.RollbackAsync("w").ConfigureAwait(false);
                results[i] = batch[i].Conflict(e);
            }
        }

        await retry.CommitAsync().ConfigureAwait(false);
        return results;
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IEnumerable<JournalRow> rows)
    {
        var list = rows as IReadOnlyCollection<JournalRow> ?? rows.ToList();
        await using var command = new NpgsqlCommand(Insert, connection, tx);
        command.Parameters.Add(new NpgsqlParameter("pid", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = list.Select(r => r.PersistenceId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("seq", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = list.Select(r => r.SequenceNr).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("manifest", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = list.Select(r => r.Manifest).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = list.Select(r => r.Payload).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = list.Select(r => r.WrittenAtMs).ToArray() });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private protected override ValueTask DisposeStorageAsync() => _database.DisposeAsync();
}
