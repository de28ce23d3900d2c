using Xunit;

namespace Cuckoo.Persistence.Tests.Conformance;

public sealed class InMemoryJournalSpec : JournalSpec
{
    protected override Task<IJournal> CreateJournalAsync(EventRegistry registry) =>
        Task.FromResult<IJournal>(new InMemoryJournal(registry));

    protected override Task<IJournal?> ReopenAsync() => Task.FromResult<IJournal?>(null);
}

public sealed class InMemorySnapshotStoreSpec : SnapshotStoreSpec
{
    protected override Task<ISnapshotStore> CreateStoreAsync(EventRegistry registry) =>
        Task.FromResult<ISnapshotStore>(new InMemorySnapshotStore(registry));
}

public sealed class SqliteJournalSpec : JournalSpec
{
    private readonly TempDirectory _dir = new();

    protected override Task<IJournal> CreateJournalAsync(EventRegistry registry) =>
        Task.FromResult<IJournal>(new SqliteJournal(_dir.File("journal.db"), registry));

    protected override Task<IJournal?> ReopenAsync() =>
        Task.FromResult<IJournal?>(new SqliteJournal(_dir.File("journal.db"), Registry));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}

public sealed class SqliteSnapshotStoreSpec : SnapshotStoreSpec
{
    private readonly TempDirectory _dir = new();

    protected override Task<ISnapshotStore> CreateStoreAsync(EventRegistry registry) =>
        Task.FromResult<ISnapshotStore>(new SqliteSnapshotStore(_dir.File("snapshots.db"), registry));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalSpec(PostgresServer server) : JournalSpec
{
    protected override Task<IJournal> CreateJournalAsync(EventRegistry registry) =>
        Task.FromResult<IJournal>(new PostgresJournal(server.ConnectionString, registry));

    protected override Task<IJournal?> ReopenAsync() =>
        Task.FromResult<IJournal?>(new PostgresJournal(server.ConnectionString, Registry));
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSnapshotStoreSpec(PostgresServer server) : SnapshotStoreSpec
{
    protected override Task<ISnapshotStore> CreateStoreAsync(EventRegistry registry) =>
        Task.FromResult<ISnapshotStore>(new PostgresSnapshotStore(server.ConnectionString, registry));
}
