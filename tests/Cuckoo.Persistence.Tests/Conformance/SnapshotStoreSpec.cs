using Xunit;

namespace Cuckoo.Persistence.Tests.Conformance;

/// <summary>What every <see cref="ISnapshotStore"/> must do; one concrete subclass per implementation runs it.</summary>
public abstract class SnapshotStoreSpec : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private ISnapshotStore? _store;

    protected EventRegistry Registry { get; } = new();

    protected ISnapshotStore Store => _store ?? throw new InvalidOperationException("not initialized");

    protected abstract Task<ISnapshotStore> CreateStoreAsync(EventRegistry registry);

    public async Task InitializeAsync() => _store = await CreateStoreAsync(Registry);

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Snapshot_store_loads_the_newest_snapshot()
    {
        var pid = await SaveThreeAsync();

        var loaded = await Store.LoadAsync(pid, SnapshotSelectionCriteria.Latest);

        Assert.NotNull(loaded);
        Assert.Equal(new SnapshotMetadata(pid, 30, T0.AddMinutes(3)), loaded.Metadata);
        Assert.Equal(new StateSnapshot("s30", 30), loaded.Snapshot);
    }

    [Fact]
    public async Task Snapshot_store_honours_sequence_nr_criteria()
    {
        var pid = await SaveThreeAsync();

        Assert.Equal(20, (await Store.LoadAsync(pid, new(MaxSequenceNr: 29)))?.Metadata.SequenceNr);
        Assert.Equal(10, (await Store.LoadAsync(pid, new(MaxSequenceNr: 10)))?.Metadata.SequenceNr);
        Assert.Null(await Store.LoadAsync(pid, new(MaxSequenceNr: 9)));
        Assert.Equal(30, (await Store.LoadAsync(pid, new(MinSequenceNr: 25)))?.Metadata.SequenceNr);
    }

    [Fact]
    public async Task Snapshot_store_honours_timestamp_criteria()
    {
        var pid = await SaveThreeAsync();

        Assert.Equal(20, (await Store.LoadAsync(pid, new(MaxTimestamp: T0.AddMinutes(2))))?.Metadata.SequenceNr);
        Assert.Null(await Store.LoadAsync(pid, new(MaxTimestamp: T0)));
        Assert.Equal(30, (await Store.LoadAsync(pid, new(MinTimestamp: T0.AddMinutes(3))))?.Metadata.SequenceNr);
    }

    [Fact]
    public async Task Snapshot_store_returns_nothing_for_none_or_an_unknown_id()
    {
        var pid = await SaveThreeAsync();

        Assert.Null(await Store.LoadAsync(pid, SnapshotSelectionCriteria.None));
        Assert.Null(await Store.LoadAsync("pid-" + Guid.NewGuid(), SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public async Task Snapshot_store_replaces_a_snapshot_saved_again_at_the_same_sequence_nr()
    {
        var pid = "pid-" + Guid.NewGuid();
        await Store.SaveAsync(new SnapshotMetadata(pid, 5, T0), new StateSnapshot("first", 1));
        await Store.SaveAsync(new SnapshotMetadata(pid, 5, T0.AddSeconds(1)), new StateSnapshot("second", 2));

        var loaded = await Store.LoadAsync(pid, SnapshotSelectionCriteria.Latest);

        Assert.Equal(new StateSnapshot("second", 2), loaded?.Snapshot);
        await Store.DeleteAsync(new SnapshotMetadata(pid, 5, T0));
        Assert.Null(await Store.LoadAsync(pid, SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public async Task Snapshot_store_deletes_one_snapshot_by_metadata()
    {
        var pid = await SaveThreeAsync();

        await Store.DeleteAsync(new SnapshotMetadata(pid, 30, T0.AddMinutes(3)));

        Assert.Equal(20, (await Store.LoadAsync(pid, SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr);
    }

    [Fact]
    public async Task Snapshot_store_deletes_the_snapshots_matching_criteria_only()
    {
        var pid = await SaveThreeAsync();
        var other = await SaveThreeAsync();

        await Store.DeleteAsync(pid, new SnapshotSelectionCriteria(MaxSequenceNr: 20));

        Assert.Equal(30, (await Store.LoadAsync(pid, SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr);
        Assert.Null(await Store.LoadAsync(pid, new(MaxSequenceNr: 29)));
        Assert.Equal(20, (await Store.LoadAsync(other, new(MaxSequenceNr: 29)))?.Metadata.SequenceNr);
    }

    [Fact]
    public async Task Snapshot_store_rejects_a_snapshot_without_manifest_and_keeps_the_previous_one()
    {
        var pid = await SaveThreeAsync();

        await Assert.ThrowsAsync<PersistenceSerializationException>(
            () => Store.SaveAsync(new SnapshotMetadata(pid, 40, T0.AddMinutes(4)), new NoManifestEvent(1)));

        Assert.Equal(30, (await Store.LoadAsync(pid, SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr);
    }

    private async Task<string> SaveThreeAsync()
    {
        var pid = "pid-" + Guid.NewGuid();
        foreach (var n in new[] { 10, 20, 30 })
        {
            await Store.SaveAsync(new SnapshotMetadata(pid, n, T0.AddMinutes(n / 10)), new StateSnapshot($"s{n}", n));
        }

        return pid;
    }
}
