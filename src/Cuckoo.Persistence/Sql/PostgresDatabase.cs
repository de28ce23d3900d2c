using Npgsql;

namespace Cuckoo.Persistence.Sql;

/// <summary>A PostgreSQL database shared by the journal and the snapshot store, and its schema.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    public static readonly IReadOnlyList<SqlMigration> Migrations =
    [
        new(1, "journal, journal_metadata and snapshot tables", """
            CREATE TABLE journal (
                ordering BIGSERIAL PRIMARY KEY,
                persistence_id TEXT NOT NULL,
                sequence_nr BIGINT NOT NULL,
                manifest TEXT NOT NULL,
                payload BYTEA NOT NULL,
                written_at BIGINT NOT NULL,
                CONSTRAINT journal_persistence_id_sequence_nr_key UNIQUE (persistence_id, sequence_nr)
            );
            CREATE TABLE journal_metadata (
                persistence_id TEXT NOT NULL PRIMARY KEY,
                highest_deleted_sequence_nr BIGINT NOT NULL
            );
            CREATE TABLE snapshot (
                persistence_id TEXT NOT NULL,
                sequence_nr BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                manifest TEXT NOT NULL,
                payload BYTEA NOT NULL,
                PRIMARY KEY (persistence_id, sequence_nr)
            );
            """),
    ];

    // Serializes migrations of concurrent processes; an arbitrary constant private to Cuckoo.
    private const long MigrationLockKey = 0x43756b6f6f4a;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    public async Task MigrateAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"""
            SELECT pg_advisory_xact_lock({MigrationLockKey});
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER NOT NULL PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            );
            """;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        var current = Convert.ToInt32(await command.ExecuteScalarAsync().ConfigureAwait(false));
        var known = Migrations[^1].Version;
        if (current > known)
        {
            throw new SchemaVersionException(current, known);
        }

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            command.CommandText = migration.Sql;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            command.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES (@v, @d, @t);";
            command.Parameters.AddWithValue("v", migration.Version);
            command.Parameters.AddWithValue("d", migration.Description);
            command.Parameters.AddWithValue("t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            command.Parameters.Clear();
        }

        await tx.CommitAsync().ConfigureAwait(false);
    }

    public static bool IsUniqueViolation(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
