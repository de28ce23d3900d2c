using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Persistence.Tests.Conformance;

// Each store runs the same three suites. SQLite gets a fresh temporary file per test; PostgreSQL one real server per
// test run (tests/Cuckoo.Persistence.Tests/Support/PostgresServer.cs); Akka's in-memory journal is the twin for unit
// tests and differs where its two flags say (docs/persistence.md lists the differences).

public sealed class SqliteJournalSpec(ITestOutputHelper output) : JournalSpec(SqliteTemp.Config(), output);

public sealed class SqliteSnapshotStoreSpec(ITestOutputHelper output) : SnapshotStoreSpec(SqliteTemp.Config(), output);

public sealed class SqlitePersistentActorSpec(ITestOutputHelper output) : PersistentActorSpec(SqliteTemp.Config(), output);

/// <summary>SQLite with synchronous NORMAL: the pragma comes through linq2db data options (a Setup), not HOCON.</summary>
public sealed class SqliteNormalPersistentActorSpec(ITestOutputHelper output)
    : PersistentActorSpec(SqliteTemp.NormalSetup(), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlJournalSpec(PostgresServer server, ITestOutputHelper output)
    : JournalSpec(TestStores.PostgreSql(server.ConnectionString), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlSnapshotStoreSpec(PostgresServer server, ITestOutputHelper output)
    : SnapshotStoreSpec(TestStores.PostgreSql(server.ConnectionString), output);

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPersistentActorSpec(PostgresServer server, ITestOutputHelper output)
    : PersistentActorSpec(TestStores.PostgreSql(server.ConnectionString), output);

public sealed class InMemoryJournalSpec(ITestOutputHelper output) : JournalSpec(TestStores.InMemory(), output)
{
    protected override bool ReportsHighestSequenceNrBelowFrom => true;

    protected override bool SupportsRejectingNonSerializableObjects => false;

    protected override bool EnforcesUniqueSequenceNrs => false;
}

public sealed class InMemorySnapshotStoreSpec(ITestOutputHelper output) : SnapshotStoreSpec(TestStores.InMemory(), output)
{
    protected override bool MaxSequenceNrZeroSelectsNothing => false;
}

public sealed class InMemoryPersistentActorSpec(ITestOutputHelper output) : PersistentActorSpec(TestStores.InMemory(), output)
{
    protected override bool SupportsRejectingNonSerializableObjects => false;

    protected override bool EnforcesUniqueSequenceNrs => false;
}

/// <summary>A fresh SQLite file per test under the system temp folder; the OS cleaner removes the folders.</summary>
internal static class SqliteTemp
{
    public static Akka.Configuration.Config Config() => TestStores.Sqlite(NewPath());

    public static Akka.Actor.Setup.ActorSystemSetup NormalSetup()
    {
        var settings = PersistenceSettings.Sqlite(NewPath()) with { Synchronous = SqliteSynchronous.Normal };
        settings.PrepareStorage();
        return settings.ToSetup(TestStores.Quiet);
    }

    private static string NewPath() => Path.Combine(Path.GetTempPath(), "cuckoo-persistence-tests", Guid.NewGuid().ToString("N"), "store.db");
}
