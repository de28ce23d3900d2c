using Akka.Configuration;
using Xunit;

namespace Cuckoo.Persistence.Tests.Configuration;

public sealed class CuckooHoconTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Shared_conf_selects_the_sql_plugins_on_sqlite_with_the_tuned_batching()
    {
        var config = Load(new HoconOptions());

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        foreach (var plugin in new[] { "akka.persistence.journal.sql", "akka.persistence.snapshot-store.sql" })
        {
            Assert.Equal("SQLite.MS", config.GetString($"{plugin}.provider-name"));
            Assert.Equal("Data Source=data/cuckoo.db;Default Timeout=30", config.GetString($"{plugin}.connection-string"));
            Assert.True(config.GetBoolean($"{plugin}.auto-initialize"));
        }

        Assert.Equal(JournalBatching.Sqlite.BatchSize, config.GetInt("akka.persistence.journal.sql.batch-size"));
        Assert.Equal(JournalBatching.Sqlite.Parallelism, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal(JournalBatching.Sqlite.BufferSize, config.GetInt("akka.persistence.journal.sql.buffer-size"));
        // Akka.Persistence.Sql's own defaults lie underneath (the plugin class comes from them).
        Assert.Equal("Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql", config.GetString("akka.persistence.journal.sql.class"));
        Assert.Equal("cuckoo-events", config.GetString("akka.actor.serialization-bindings.\"Cuckoo.Persistence.IPersistedEvent, Cuckoo.Persistence\""));
    }

    [Fact]
    public void Role_and_test_files_are_laid_over_shared_conf()
    {
        var coordinator = Load(new HoconOptions { Role = NodeRole.Coordinator });
        var miner = Load(new HoconOptions { Role = NodeRole.Miner, Test = true });

        Assert.Equal("coordinator", coordinator.GetString("cuckoo.role"));
        Assert.Equal(5, coordinator.GetInt("akka.persistence.max-concurrent-recoveries"));
        Assert.Equal("INFO", coordinator.GetString("akka.loglevel"));
        Assert.Equal("miner", miner.GetString("cuckoo.role"));
        Assert.Equal(50, miner.GetInt("akka.persistence.max-concurrent-recoveries"));
        Assert.Equal("DEBUG", miner.GetString("akka.loglevel"));
        // Virtual time stays per test: test.conf itself leaves the real scheduler in place.
        Assert.DoesNotContain("TestScheduler", miner.GetString("akka.scheduler.implementation", ""));
    }

    [Fact]
    public void The_database_variables_switch_both_plugins_to_postgresql()
    {
        var config = Load(new HoconOptions(), new()
        {
            [CuckooHocon.ProviderVariable] = "postgresql",
            [CuckooHocon.ConnectionStringVariable] = "Host=127.0.0.1;Port=5433;Username=cuckoo",
        });

        foreach (var plugin in new[] { "akka.persistence.journal.sql", "akka.persistence.snapshot-store.sql" })
        {
            Assert.Equal("PostgreSQL.15", config.GetString($"{plugin}.provider-name"));
            Assert.Equal("Host=127.0.0.1;Port=5433;Username=cuckoo", config.GetString($"{plugin}.connection-string"));
        }
    }

    [Fact]
    public void Path_variables_hocon_text_and_the_log_level_override_the_files_in_that_order()
    {
        var config = Load(new HoconOptions { Role = NodeRole.Coordinator, Extra = "akka.persistence.journal.sql.parallelism = 2" }, new()
        {
            ["CUCKOO__AKKA__PERSISTENCE__JOURNAL__SQL__BATCH_SIZE"] = "500",
            ["CUCKOO__AKKA__PERSISTENCE__MAX_CONCURRENT_RECOVERIES"] = "7",
            [CuckooHocon.LogLevelVariable] = "debug",
            [CuckooHocon.HoconVariable] = "akka.persistence.max-concurrent-recoveries = 9",
            ["UNRELATED"] = "ignored",
        });

        Assert.Equal(500, config.GetInt("akka.persistence.journal.sql.batch-size"));
        Assert.Equal(2, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal(9, config.GetInt("akka.persistence.max-concurrent-recoveries"));
        Assert.Equal("DEBUG", config.GetString("akka.loglevel"));
    }

    [Fact]
    public void Without_a_directory_it_finds_the_files_copied_beside_the_executable()
    {
        var config = CuckooHocon.Load(new HoconOptions { Environment = NoEnvironment });
        Assert.Equal("SQLite.MS", config.GetString("cuckoo.persistence.provider-name"));
    }

    [Theory]
    [InlineData(CuckooHocon.ProviderVariable, "oracle", "CUCKOO_DB_PROVIDER must be 'sqlite' or 'postgresql', not 'oracle'.")]
    [InlineData(CuckooHocon.LogLevelVariable, "loud", "CUCKOO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or OFF, not 'loud'.")]
    [InlineData("CUCKOO__AKKA____LOGLEVEL", "INFO", "CUCKOO__AKKA____LOGLEVEL is not a configuration path: use CUCKOO__SECTION__KEY, with letters, digits and single underscores.")]
    public void A_malformed_variable_gets_one_sentence(string name, string value, string message)
    {
        var error = Assert.Throws<HoconLoadException>(() => Load(new HoconOptions(), new() { [name] = value }));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Malformed_hocon_text_and_a_missing_folder_get_one_sentence()
    {
        var parse = Assert.Throws<HoconLoadException>(() => Load(new HoconOptions(), new() { [CuckooHocon.HoconVariable] = "akka.loglevel = ${cuckoo.no-such-setting}" }));
        Assert.StartsWith("The node configuration does not parse:", parse.Message);

        var missing = Path.Combine(Path.GetTempPath(), "no-such-hocon-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<HoconLoadException>(() => CuckooHocon.Load(new HoconOptions
        {
            Environment = new Dictionary<string, string?> { [CuckooHocon.DirectoryVariable] = missing },
        }));
        Assert.Equal($"{Path.Combine(missing, "shared.conf")} was not found: set CUCKOO_HOCON_DIR to the folder holding the node's .conf files.", error.Message);
    }

    [Fact]
    public void Every_setting_in_the_hocon_files_has_a_comment_above_it_or_its_block()
    {
        foreach (var file in Directory.GetFiles(RepoHocon(), "*.conf"))
        {
            var lines = File.ReadAllLines(file);
            Assert.StartsWith("#", lines[0]);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0 || line.StartsWith('#') || line == "}" || !line.Contains('='))
                {
                    continue;
                }

                // A setting is explained by the comment right above it, or by the one above the run of settings it belongs to.
                var j = i - 1;
                while (j >= 0 && lines[j].Trim() is var above && above.Length > 0 && !above.StartsWith('#') && above.Contains('=') && !above.EndsWith('{'))
                {
                    j--;
                }

                Assert.True(j >= 0 && (lines[j].Trim().StartsWith('#') || lines[j].Trim().EndsWith('{')),
                    $"{Path.GetFileName(file)}:{i + 1} '{line}' has no comment");
            }
        }
    }

    private static Config Load(HoconOptions options, Dictionary<string, string?>? environment = null) =>
        CuckooHocon.Load(options with { Directory = RepoHocon(), Environment = environment ?? NoEnvironment });

    /// <summary>The repository's hocon/ folder (the tests read the files the nodes ship, not a copy).</summary>
    internal static string RepoHocon()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repository root not found"), "hocon");
    }
}
