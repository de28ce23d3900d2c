using Cuckoo.Persistence.Sql;

namespace Cuckoo.Persistence;

/// <summary>Where events and snapshots are stored.</summary>
public enum PersistenceProvider
{
    /// <summary>One SQLite file (the embedded default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, for several hosts.</summary>
    Postgres,

    /// <summary>Process memory; unit tests only.</summary>
    InMemory,
}

/// <summary>Persistence configuration for an actor system; build one with <see cref="Sqlite"/>, <see cref="Postgres"/> or <see cref="InMemory"/>.</summary>
public sealed record PersistenceSettings
{
    /// <summary>Default SQLite database file, relative to the working directory.</summary>
    public const string DefaultSqlitePath = "data/cuckoo.db";

    public required PersistenceProvider Provider { get; init; }

    /// <summary>The SQLite file path or the Npgsql connection string; unused in memory.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>Manifests and serialization (default: a registry that finds [EventManifest] types in loaded assemblies).</summary>
    public EventRegistry Registry { get; init; } = new();

    /// <summary>SQLite commit durability (default Full: fsync per commit, survives power loss).</summary>
    public SqliteDurability SqliteDurability { get; init; } = SqliteDurability.Full;

    /// <summary>Most events the journal commits in one transaction (default 1000).</summary>
    public int MaxBatchEvents { get; init; } = 1000;

    /// <summary>Events a recovering actor reads per round trip, bounding its memory during replay (default 1000).</summary>
    public int ReplayPageSize { get; init; } = 1000;

    /// <summary>A journal to use instead of creating one from <see cref="Provider"/> (default null); the caller keeps ownership.</summary>
    public IJournal? Journal { get; init; }

    /// <summary>A snapshot store to use instead of creating one from <see cref="Provider"/> (default null); the caller keeps ownership.</summary>
    public ISnapshotStore? SnapshotStore { get; init; }

    /// <summary>SQLite at <paramref name="path"/> (default <see cref="DefaultSqlitePath"/>).</summary>
    public static PersistenceSettings Sqlite(string path = DefaultSqlitePath) =>
        new() { Provider = PersistenceProvider.Sqlite, ConnectionString = path };

    /// <summary>PostgreSQL at <paramref name="connectionString"/> (an Npgsql connection string).</summary>
    public static PersistenceSettings Postgres(string connectionString) =>
        new() { Provider = PersistenceProvider.Postgres, ConnectionString = connectionString };

    /// <summary>Process memory, for unit tests.</summary>
    public static PersistenceSettings InMemory() => new() { Provider = PersistenceProvider.InMemory };

    /// <summary>Throws <see cref="ArgumentException"/> for settings that cannot work.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Registry);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchEvents, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplayPageSize, 1);
        if (Provider != PersistenceProvider.InMemory && (Journal is null || SnapshotStore is null)
            && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException($"Persistence provider {Provider} needs a {(Provider == PersistenceProvider.Sqlite ? "database path" : "connection string")}.");
        }
    }
}
