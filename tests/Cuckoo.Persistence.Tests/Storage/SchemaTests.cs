using Cuckoo.Persistence.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;

namespace Cuckoo.Persistence.Tests.Storage;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sqlite_creates_the_file_and_its_folder_in_wal_mode_at_schema_version_1()
    {
        var path = Path.Combine(_dir.Path, "data", "nested", "cuckoo.db");
        await using (var journal = new SqliteJournal(path, new EventRegistry()))
        {
            Assert.Equal(0, await journal.ReadHighestSequenceNrAsync("p"));
        }

        await using (var again = new SqliteJournal(path, new EventRegistry()))
        {
            Assert.Equal(0, await again.ReadHighestSequenceNrAsync("p"));
        }

        Assert.True(File.Exists(path));
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode;"));
        Assert.Equal("1", Scalar(path, "SELECT group_concat(version) FROM schema_version;"));
    }

    [Fact]
    public async Task Sqlite_enforces_unique_sequence_nrs_in_the_schema_itself()
    {
        var path = _dir.File("unique.db");
        await using (var journal = new SqliteJournal(path, new EventRegistry()))
        {
            await journal.WriteAsync([new AtomicWrite(new PersistentRepr("p", 1, new Counted("w", 1)))]);
        }

        var error = Assert.Throws<SqliteException>(() => Scalar(path,
            "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, written_at) VALUES ('p', 1, 'm', X'00', 0);"));
        Assert.Contains("UNIQUE", error.Message);
    }

    [Fact]
    public async Task Sqlite_refuses_a_database_with_a_newer_schema_and_leaves_it_untouched()
    {
        var path = _dir.File("future.db");
        await using (var journal = new SqliteJournal(path, new EventRegistry()))
        {
            await journal.ReadHighestSequenceNrAsync("p");
        }

        Scalar(path, "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', 0);");

        await using var old = new SqliteJournal(path, new EventRegistry());
        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => old.ReadHighestSequenceNrAsync("p"));
        Assert.Equal(99, error.Found);
        await Assert.ThrowsAsync<SchemaVersionException>(
            () => old.WriteAsync([new AtomicWrite(new PersistentRepr("p", 1, new Counted("w", 1)))]));
        Assert.Equal("0", Scalar(path, "SELECT count(*) FROM journal;"));
    }

    private static string? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresServer server)
{
    [Fact]
    public async Task Postgres_records_the_schema_version_and_enforces_unique_sequence_nrs()
    {
        await using (var journal = new PostgresJournal(server.ConnectionString, new EventRegistry()))
        {
            await journal.WriteAsync([new AtomicWrite(new PersistentRepr("schema-test", 1, new Counted("w", 1)))]);
        }

        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var version = dataSource.CreateCommand("SELECT string_agg(version::text, ',') FROM schema_version;");
        Assert.Equal("1", await version.ExecuteScalarAsync());
        await using var duplicate = dataSource.CreateCommand(
            "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, written_at) VALUES ('schema-test', 1, 'm', '\\x00', 0);");
        var error = await Assert.ThrowsAsync<PostgresException>(() => duplicate.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }
}
