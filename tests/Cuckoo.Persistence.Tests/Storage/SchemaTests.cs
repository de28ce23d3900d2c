using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;

namespace Cuckoo.Persistence.Tests.Storage;

/// <summary>What auto-initialize and <see cref="SqliteStore"/> leave in the database.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sqlite_gets_its_folder_WAL_mode_and_the_journal_and_snapshot_tables_on_first_use()
    {
        var path = Path.Combine(_dir.Path, "data", "nested", "cuckoo.db");
        using (var client = new JournalClient(TestStores.Sqlite(path)))
        {
            client.Write("p", 1, new Counted("w", 1));
        }

        Assert.True(File.Exists(path));
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode;"));
        var tables = Scalar(path, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name);");
        Assert.Contains("journal", tables!.Split(','));
        Assert.Equal("1", Scalar(path, "SELECT count(*) FROM journal WHERE persistence_id = 'p' AND sequence_number = 1;"));

        // A second start on the same file finds the tables and keeps the rows.
        using var again = new JournalClient(TestStores.Sqlite(path));
        Assert.Single(again.Replay("p").Payloads);
    }

    [Fact]
    public void Sqlite_enforces_unique_sequence_numbers_in_the_schema_itself()
    {
        var path = _dir.File("unique.db");
        using (var client = new JournalClient(TestStores.Sqlite(path)))
        {
            client.Write("p", 1, new Counted("w", 1));
        }

        var error = Assert.Throws<SqliteException>(() => Scalar(path,
            "INSERT INTO journal (deleted, persistence_id, sequence_number, created, message, identifier, manifest) " +
            "SELECT deleted, persistence_id, sequence_number, created, message, identifier, manifest FROM journal;"));
        Assert.Contains("UNIQUE", error.Message);
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
public sealed class PostgreSqlSchemaTests(PostgresServer server)
{
    [Fact]
    public async Task PostgreSql_gets_the_tables_and_enforces_unique_sequence_numbers()
    {
        var pid = TestStores.NewPid("schema");
        using (var client = new JournalClient(TestStores.PostgreSql(server.ConnectionString)))
        {
            client.Write(pid, 1, new Counted("w", 1));
        }

        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var tables = dataSource.CreateCommand(
            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public';");
        var names = ((string)(await tables.ExecuteScalarAsync())!).Split(',');
        Assert.Contains("journal", names);
        Assert.Contains("snapshot", names);

        await using var duplicate = dataSource.CreateCommand(
            "INSERT INTO journal (deleted, persistence_id, sequence_number, created, message, identifier, manifest) " +
            $"SELECT deleted, persistence_id, sequence_number, created, message, identifier, manifest FROM journal WHERE persistence_id = '{pid}';");
        var error = await Assert.ThrowsAsync<PostgresException>(() => duplicate.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }
}
