using Microsoft.Data.Sqlite;

namespace Cuckoo.Persistence;

/// <summary>
/// What Akka.Persistence.Sql leaves to us for SQLite: it neither creates the database's folder (SQLite refuses to open a
/// file in a missing one) nor chooses the journal mode. WAL lets recovery read while the journal writes and turns every
/// commit into one append plus one fsync; it is a property of the file, so setting it once is enough.
/// </summary>
public static class SqliteStore
{
    /// <summary>Creates the folder of the connection string's file and switches the file to WAL. Idempotent.</summary>
    public static void Prepare(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite file {builder.DataSource} refused WAL mode (it reports '{mode}').");
        }
    }
}
