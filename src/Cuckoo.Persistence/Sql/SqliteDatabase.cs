using Microsoft.Data.Sqlite;

namespace Cuckoo.Persistence.Sql;

/// <summary>How hard SQLite works to make a commit survive.</summary>
public enum SqliteDurability
{
    /// <summary>fsync on every commit: a commit survives a process crash and a power loss.</summary>
    Full,

    /// <summary>WAL without fsync on commit: survives a process crash, may lose the last commits on power loss.</summary>
    Normal,
}

/// <summary>One SQLite database file (WAL mode) shared by the journal and the snapshot store, and its schema.</summary>
internal sealed class SqliteDatabase
{
    public static readonly IReadOnlyList<SqlMigration> Migrations =
    [
        new(1, "journal, journal_metadata and snapshot tables", """
            CREATE TABLE journal (
                ordering INTEGER PRIMARY KEY AUTOINCREMENT,
                persistence_id TEXT NOT NULL,
                sequence_nr INTEGER NOT NULL,
                manifest TEXT NOT NULL,
                payload BLOB NOT NULL,
                written_at INTEGER NOT NULL,
                UNIQUE (persistence_id, sequence_nr)
            );
            CREATE TABLE journal_metadata (
                persistence_id TEXT NOT NULL PRIMARY KEY,
                highest_deleted_sequence_nr INTEGER NOT NULL
            );
            CREATE TABLE snapshot (
                persistence_id TEXT NOT NULL,
                sequence_nr INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                manifest TEXT NOT NULL,
                payload BLOB NOT NULL,
                PRIMARY KEY (persistence_id, sequence_nr)
            );
            """),
    ];

    private readonly string _connectionString;
    private readonly SqliteDurability _durability;

    public SqliteDatabase(string path, SqliteDurability durability)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _durability = durability;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = 30000; PRAGMA synchronous = {_durability.ToString().ToUpperInvariant()};";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Creates the file and its folder if needed, switches to WAL and applies pending migrations in one transaction.</summary>
    public void Migrate()
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER NOT NULL PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            );
            SELECT COALESCE(MAX(version), 0) FROM schema_version;
            """;
        var current = Convert.ToInt32(command.ExecuteScalar());
        var known = Migrations[^1].Version;
        if (current > known)
        {
            throw new SchemaVersionException(current, known);
        }

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            command.CommandText = migration.Sql;
            command.Parameters.Clear();
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, $t);";
            command.Parameters.AddWithValue("$v", migration.Version);
            command.Parameters.AddWithValue("$d", migration.Description);
            command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <summary>Closes pooled connections so the file can be moved or deleted.</summary>
    public void ReleasePool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public static bool IsUniqueViolation(SqliteException e) => e.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */;
}
