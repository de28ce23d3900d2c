using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using LinqToDB;

namespace Cuckoo.Persistence;

/// <summary>The database behind Akka.Persistence.Sql.</summary>
public enum StoreProvider
{
    /// <summary>One SQLite file through Microsoft.Data.Sqlite (linq2db provider <c>SQLite.MS</c>): the embedded default.</summary>
    Sqlite,

    /// <summary>PostgreSQL through Npgsql (linq2db provider <c>PostgreSQL.15</c>): one store for several coordinators.</summary>
    PostgreSql,
}

/// <summary>When SQLite waits for the disk (<c>PRAGMA synchronous</c>, per connection, so not expressible in HOCON).</summary>
public enum SqliteSynchronous
{
    /// <summary>fsync at every commit: a commit survives power loss (SQLite's default).</summary>
    Full,

    /// <summary>fsync at WAL checkpoints only: a commit survives a crash of the process (SIGKILL), not of the machine.</summary>
    Normal,
}

/// <summary>
/// How the journal groups writes. Akka.Persistence.Sql queues every <c>WriteMessages</c> and lets <see cref="Parallelism"/>
/// writers each take up to <see cref="BatchSize"/> queued events into one transaction. The defaults were measured with
/// 100 writers (docs/benchmarks.md): SQLite takes one writer at a time anyway, so one large batch per commit is what pays.
/// </summary>
public sealed record JournalBatching
{
    /// <summary>Events per transaction (default 1000: an fsync per commit dominates, so more rows per commit is cheaper; Akka's default is 100).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Concurrent writer transactions (default 1 for SQLite, whose writers exclude each other; Akka's default 3 is for servers).</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Queued events beyond which writes are rejected (default 20000: a full batch per writer in flight plus headroom; Akka's default 5000).</summary>
    public int BufferSize { get; init; } = 20_000;

    /// <summary>Rows per multi-row INSERT statement (default 1000, Akka's; SQLite's 32766-variable limit allows it).</summary>
    public int DbRoundTripMaxBatchSize { get; init; } = 1000;

    /// <summary>Events read per query during recovery (default 1000, Akka's: bounds memory while replaying).</summary>
    public int ReplayBatchSize { get; init; } = 1000;

    /// <summary>Tuned for one SQLite file.</summary>
    public static JournalBatching Sqlite { get; } = new();

    /// <summary>Tuned for a PostgreSQL server, which runs concurrent transactions (parallelism 4: this project's 2-4 core hosts).</summary>
    public static JournalBatching PostgreSql { get; } = new() { Parallelism = 4 };

    /// <summary>Akka.Persistence.Sql's own defaults, for comparison (batch-size 100, parallelism 3, buffer-size 5000).</summary>
    public static JournalBatching AkkaDefaults { get; } = new() { BatchSize = 100, Parallelism = 3, BufferSize = 5000 };

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1, nameof(Parallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(BufferSize, BatchSize, nameof(BufferSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(DbRoundTripMaxBatchSize, 1, nameof(DbRoundTripMaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplayBatchSize, 1, nameof(ReplayBatchSize));
    }
}

/// <summary>
/// Journal and snapshot store for an actor system, as Akka.Persistence.Sql HOCON (<see cref="ToConfig"/>). Build one with
/// <see cref="Sqlite"/> or <see cref="PostgreSql"/> and adjust with <c>with</c>. hocon/shared.conf holds the same defaults
/// for nodes; this record is for code that builds its system itself (tests, benchmarks, tools).
/// </summary>
public sealed record PersistenceSettings
{
    /// <summary>The embedded store's file, relative to the working directory (data/ is git-ignored).</summary>
    public const string DefaultSqliteFile = "data/cuckoo.db";

    public const string JournalPluginId = "akka.persistence.journal.sql";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";

    public required StoreProvider Provider { get; init; }

    /// <summary>An ADO.NET connection string: Microsoft.Data.Sqlite's or Npgsql's.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Database schema of the tables (default null: the connection's default, <c>public</c> on PostgreSQL).</summary>
    public string? SchemaName { get; init; }

    /// <summary>Event table (default <c>journal</c>, Akka.Persistence.Sql's name).</summary>
    public string JournalTable { get; init; } = "journal";

    /// <summary>Snapshot table (default <c>snapshot</c>, Akka.Persistence.Sql's name).</summary>
    public string SnapshotTable { get; init; } = "snapshot";

    /// <summary>Create missing tables on first use (default true: nodes start on an empty database without a migration step).</summary>
    public bool AutoInitialize { get; init; } = true;

    public JournalBatching Batching { get; init; } = JournalBatching.Sqlite;

    /// <summary>
    /// SQLite only (default <see cref="SqliteSynchronous.Full"/>: an acknowledged event survives power loss). Anything
    /// else needs <see cref="ToSetup"/>, since only code can run a pragma on each connection the journal opens.
    /// </summary>
    public SqliteSynchronous Synchronous { get; init; } = SqliteSynchronous.Full;

    /// <summary>The linq2db provider name for <see cref="Provider"/>.</summary>
    public string ProviderName => Provider switch
    {
        StoreProvider.Sqlite => "SQLite.MS",
        StoreProvider.PostgreSql => "PostgreSQL.15",
        _ => throw new ArgumentOutOfRangeException(nameof(Provider), Provider, "unknown store provider"),
    };

    /// <summary>SQLite at <paramref name="path"/>; a 30 s busy wait (<c>Default Timeout</c>) rides out a concurrent checkpoint.</summary>
    public static PersistenceSettings Sqlite(string path = DefaultSqliteFile) => new()
    {
        Provider = StoreProvider.Sqlite,
        ConnectionString = $"Data Source={path};Default Timeout=30",
    };

    /// <summary>PostgreSQL at an Npgsql connection string.</summary>
    public static PersistenceSettings PostgreSql(string connectionString) => new()
    {
        Provider = StoreProvider.PostgreSql,
        ConnectionString = connectionString,
        Batching = JournalBatching.PostgreSql,
    };

    /// <summary>
    /// Akka's in-memory journal and snapshot store with the serializer binding: the twin for unit tests of actor logic
    /// (and throw-away runs), which passes our conformance suite except where docs/persistence.md lists the differences.
    /// </summary>
    public static Config InMemoryConfig() =>
        ConfigurationFactory.ParseString("""
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """)
            .WithFallback(ConfigurationFactory.ParseString(PersistedEventSerializer.Hocon));

    /// <summary>The HOCON these settings stand for, without fallbacks.</summary>
    public string ToHocon()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException($"The {Provider} store needs a connection string.");
        }

        Batching.Validate();
        var schema = SchemaName is null ? "null" : Quote(SchemaName);
        var init = AutoInitialize ? "on" : "off";
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        return $$"""
            akka.persistence {
              journal {
                plugin = "{{JournalPluginId}}"
                sql {
                  provider-name = {{Quote(ProviderName)}}
                  connection-string = {{Quote(ConnectionString)}}
                  auto-initialize = {{init}}
                  batch-size = {{N(Batching.BatchSize)}}
                  parallelism = {{N(Batching.Parallelism)}}
                  buffer-size = {{N(Batching.BufferSize)}}
                  db-round-trip-max-batch-size = {{N(Batching.DbRoundTripMaxBatchSize)}}
                  replay-batch-size = {{N(Batching.ReplayBatchSize)}}
                  default {
                    schema-name = {{schema}}
                    journal.table-name = {{Quote(JournalTable)}}
                  }
                }
              }
              snapshot-store {
                plugin = "{{SnapshotPluginId}}"
                sql {
                  provider-name = {{Quote(ProviderName)}}
                  connection-string = {{Quote(ConnectionString)}}
                  auto-initialize = {{init}}
                  default {
                    schema-name = {{schema}}
                    snapshot.table-name = {{Quote(SnapshotTable)}}
                  }
                }
              }
            }
            """;
    }

    /// <summary>
    /// The complete configuration: these settings, the event serializer's binding and Akka.Persistence.Sql's defaults
    /// underneath (needed when not using Akka.Persistence.Sql.Hosting, which adds them itself).
    /// </summary>
    public Config ToConfig() =>
        ConfigurationFactory.ParseString(ToHocon())
            .WithFallback(ConfigurationFactory.ParseString(PersistedEventSerializer.Hocon))
            .WithFallback(SqlPersistence.DefaultConfiguration);

    /// <summary>
    /// The actor system setup for these settings: <see cref="ToConfig"/> laid under <paramref name="config"/>, plus, for
    /// <see cref="SqliteSynchronous.Normal"/>, linq2db data options that set the pragma on every connection opened.
    /// </summary>
    public ActorSystemSetup ToSetup(Config? config = null)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(config is null ? ToConfig() : config.WithFallback(ToConfig()));
        if (Provider != StoreProvider.Sqlite || Synchronous == SqliteSynchronous.Full)
        {
            return ActorSystemSetup.Create(bootstrap);
        }

        const string pragma = "PRAGMA synchronous = NORMAL;";
        var options = new DataOptions()
            .UseConnectionString(ProviderName, ConnectionString)
            .UseAfterConnectionOpened(
                connection =>
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = pragma;
                    command.ExecuteNonQuery();
                },
                async (connection, token) =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = pragma;
                    await command.ExecuteNonQueryAsync(token);
                });
        return ActorSystemSetup.Create(bootstrap, new DataOptionsSetup(options));
    }

    /// <summary>Prepares the store before the first actor system uses it (SQLite: folder and WAL mode; see <see cref="SqliteStore"/>).</summary>
    public void PrepareStorage()
    {
        if (Provider == StoreProvider.Sqlite)
        {
            SqliteStore.Prepare(ConnectionString);
        }
    }

    internal static string Quote(string value) => JsonSerializer.Serialize(value);
}
