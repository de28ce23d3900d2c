using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Persistence.Tests.Conformance;

// Each store runs the same three suites. SQLite gets a fresh temporary file per test; PostgreSQL one real server per
// test run (tests/Cuckoo.Persistence.Tests/Support/PostgresServer.cs); Akka's in-memory journal is the twin for unit
// tests and differs where its two flags say (docs/persistence.md lists the differences).

public sealed class SqliteJournalSpec : JournalSpec
{
    private readonly string _path;

    public SqliteJournalSpec(ITestOutputHelper output)
        : this(SqliteTemp.NewPath(), output)
    {
    }

    private SqliteJournalSpec(string path, ITestOutputHelper output)
        : base(TestStores.Sqlite(path), output) => _path = path;

    protected override void AfterAll()
    {
        base.AfterAll();
        SqliteTemp.Delete(_path);
    }
}

public sealed class SqliteSnapshotStoreSpec : SnapshotStoreSpec
{
    private readonly string _path;

    public SqliteSnapshotStoreSpec(ITestOutputHelper output)
        : this(SqliteTemp.NewPath(), output)
    {
    }

    private SqliteSnapshotStoreSpec(string path, ITestOutputHelper output)
        : base(TestStores.Sqlite(path), output) => _path = path;

    protected override void AfterAll()
    {
        base.AfterAll();
        SqliteTemp.Delete(_path);
    }
}

public sealed class SqlitePersistentActorSpec : PersistentActorSpec
{
    private readonly string _path;

    public SqlitePersistentActorSpec(ITestOutputHelper output)
        : this(SqliteTemp.NewPath(), output)
    {
    }

    private SqlitePersistentActorSpec(string path, ITestOutputHelper output)
        : base(TestStores.Sqlite(path), output) => _path = path;

    protected override void AfterAll()
    {
        base.AfterAll();
        SqliteTemp.Delete(_path);
    }
}

/// <summary>SQLite with synchronous NORMAL: the pragma comes through linq2db data options (a Setup), not HOCON.</summary>
public sealed class SqliteNormalPersistentActorSpec : PersistentActorSpec
{
    private readonly string _path;

    public SqliteNormalPersistentActorSpec(ITestOutputHelper output)
        : this(SqliteTemp.NewPath(), output)
    {
    }

    private SqliteNormalPersistentActorSpec(string path, ITestOutputHelper output)
        : base(SqliteTemp.NormalSetup(path), output) => _path = path;

    protected override void AfterAll()
    {
        base.AfterAll();
        SqliteTemp.Delete(_path);
    }
}

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

/// <summary>A fresh SQLite file per test in a folder of its own under the system temp folder, deleted after the test.</summary>
internal static class SqliteTemp
{
    public static Akka.Actor.Setup.ActorSystemSetup NormalSetup(string path)
    {
        var settings = PersistenceSettings.Sqlite(path) with { Synchronous = SqliteSynchronous.Normal };
        settings.PrepareStorage();
        return settings.ToSetup(TestStores.Quiet);
    }

    public static string NewPath() => Path.Combine(Path.GetTempPath(), "cuckoo-persistence-tests", Guid.NewGuid().ToString("N"), "store.db");

    /// <summary>After the actor system stopped: pooled connections still hold the file open until the pool lets go.</summary>
    public static void Delete(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
        catch (IOException)
        {
            // A connection another test still uses in the same pool; the OS temp cleaner gets the folder later.
        }
    }
}
