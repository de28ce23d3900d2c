using Akka.Configuration;

namespace Cuckoo.Persistence.Tests;

/// <summary>Configurations of the stores under test. Every test uses fresh persistence ids, so a store may be shared.</summary>
public static class TestStores
{
    private static int _counter;

    /// <summary>Quiet Akka logging (the TestKit captures warnings) and the serializer binding on every store.</summary>
    private const string Common = """
        akka.loglevel = WARNING
        akka.test.single-expect-default = 10s
        akka.persistence.journal.sql.warn-on-auto-init-fail = false
        """;

    /// <summary>The common test settings alone, to lay over a setup's own configuration.</summary>
    public static Config Quiet => ConfigurationFactory.ParseString(Common);

    public static Config Sqlite(string path, Func<PersistenceSettings, PersistenceSettings>? adjust = null)
    {
        var settings = PersistenceSettings.Sqlite(path);
        settings = adjust?.Invoke(settings) ?? settings;
        settings.PrepareStorage();
        return ConfigurationFactory.ParseString(Common).WithFallback(settings.ToConfig());
    }

    public static Config PostgreSql(string connectionString, Func<PersistenceSettings, PersistenceSettings>? adjust = null)
    {
        var settings = PersistenceSettings.PostgreSql(connectionString);
        settings = adjust?.Invoke(settings) ?? settings;
        return ConfigurationFactory.ParseString(Common).WithFallback(settings.ToConfig());
    }

    /// <summary>Akka's in-memory journal and snapshot store: the twin that unit tests of actor logic use.</summary>
    public static Config InMemory() => Quiet.WithFallback(PersistenceSettings.InMemoryConfig());

    public static string NewPid(string prefix = "p") => $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}";
}
