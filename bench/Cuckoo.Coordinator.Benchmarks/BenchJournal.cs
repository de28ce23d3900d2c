using Akka.Actor;
using Akka.Configuration;
using Cuckoo.Persistence;
using Microsoft.Data.Sqlite;

namespace Cuckoo.Coordinator.Benchmarks;

/// <summary>A SQLite journal in a temporary folder (WAL, full sync: the shipped defaults), deleted on dispose.</summary>
internal sealed class BenchJournal : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cuckoo-scheduler-bench-").FullName;

    public BenchJournal()
    {
        Settings = PersistenceSettings.Sqlite(Path.Combine(_folder, "scheduler.db"));
        Settings.PrepareStorage();
    }

    public PersistenceSettings Settings { get; }

    public ActorSystem NewSystem(string name, bool inMemory = false) =>
        ActorSystem.Create(name, ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(inMemory ? PersistenceSettings.InMemoryConfig() : Settings.ToConfig()));

    public long Count(string table)
    {
        using var connection = new SqliteConnection(Settings.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            // Not created yet: the store creates its tables on first use.
            return 0;
        }
    }

    public long FileBytes => new DirectoryInfo(_folder).EnumerateFiles().Sum(f => f.Length);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
