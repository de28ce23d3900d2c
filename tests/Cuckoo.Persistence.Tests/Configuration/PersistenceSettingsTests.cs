using Xunit;

namespace Cuckoo.Persistence.Tests.Configuration;

public sealed class PersistenceSettingsTests
{
    [Fact]
    public void Sqlite_settings_produce_the_sql_plugins_with_their_tables_and_batching()
    {
        var settings = PersistenceSettings.Sqlite("data/x.db") with
        {
            JournalTable = "events",
            SnapshotTable = "snaps",
            Batching = JournalBatching.Sqlite with { BatchSize = 250 },
        };

        var config = settings.ToConfig();

        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("Data Source=data/x.db;Default Timeout=30", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal("events", config.GetString("akka.persistence.journal.sql.default.journal.table-name"));
        Assert.Equal("snaps", config.GetString("akka.persistence.snapshot-store.sql.default.snapshot.table-name"));
        Assert.Equal(250, config.GetInt("akka.persistence.journal.sql.batch-size"));
        Assert.Equal(1, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal("cuckoo-events", config.GetString("akka.actor.serialization-bindings.\"Cuckoo.Persistence.IPersistedEvent, Cuckoo.Persistence\""));
        Assert.Equal("Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql", config.GetString("akka.persistence.snapshot-store.sql.class"));
    }

    [Fact]
    public void PostgreSql_settings_use_the_npgsql_provider_and_quote_the_connection_string()
    {
        var config = (PersistenceSettings.PostgreSql("Host=127.0.0.1;Password=\"a;b\"") with { SchemaName = "cuckoo" }).ToConfig();

        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("Host=127.0.0.1;Password=\"a;b\"", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("cuckoo", config.GetString("akka.persistence.journal.sql.default.schema-name"));
        Assert.Equal(JournalBatching.PostgreSql.Parallelism, config.GetInt("akka.persistence.journal.sql.parallelism"));
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PersistenceSettings.PostgreSql(" ").ToHocon());
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            (PersistenceSettings.Sqlite() with { Batching = new JournalBatching { BatchSize = 0 } }).ToHocon());
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            (PersistenceSettings.Sqlite() with { Batching = new JournalBatching { BatchSize = 100, BufferSize = 10 } }).ToHocon());
    }

    [Fact]
    public void The_record_defaults_match_hocon_shared_conf()
    {
        var shared = CuckooHocon.Load(new HoconOptions { Directory = CuckooHoconTests.RepoHocon(), Environment = new Dictionary<string, string?>() });
        var record = PersistenceSettings.Sqlite().ToConfig();

        foreach (var key in new[] { "batch-size", "parallelism", "buffer-size", "db-round-trip-max-batch-size", "replay-batch-size" })
        {
            Assert.Equal(record.GetInt($"akka.persistence.journal.sql.{key}"), shared.GetInt($"akka.persistence.journal.sql.{key}"));
        }

        Assert.Equal(record.GetString("akka.persistence.journal.sql.connection-string"), shared.GetString("akka.persistence.journal.sql.connection-string"));
    }
}
