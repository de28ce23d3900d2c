using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Persistence.Tests.Conformance;

/// <summary>What every snapshot store must do, in the style of Akka's SnapshotStoreSpec, driven through its protocol.</summary>
public abstract class SnapshotStoreSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly TestProbe _sender;

    protected SnapshotStoreSpec(Config config, ITestOutputHelper output)
        : base(config, "snapshot-store-spec", output)
    {
        _sender = CreateTestProbe();
    }

    /// <summary>A criteria of maxSequenceNr 0 selects nothing (SQL) rather than everything (Akka's in-memory store).</summary>
    protected virtual bool MaxSequenceNrZeroSelectsNothing => true;

    protected IActorRef SnapshotStore => Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    [Fact]
    public void Store_finds_no_snapshot_for_an_unknown_persistence_id()
    {
        var result = Load(TestStores.NewPid(), SnapshotSelectionCriteria.Latest);
        Assert.Null(result.Snapshot);
    }

    [Fact]
    public void Store_loads_the_latest_snapshot_with_its_payload()
    {
        var pid = TestStores.NewPid();
        var saved = SaveSnapshots(pid, 5);

        var latest = Load(pid, SnapshotSelectionCriteria.Latest).Snapshot;

        Assert.NotNull(latest);
        Assert.Equal(saved[4].SequenceNr, latest.Metadata.SequenceNr);
        Assert.Equal(pid, latest.Metadata.PersistenceId);
        Assert.Equal(["s-1", "s-2", "s-3", "s-4", "s-5"], ((ListSnapshot)latest.Snapshot).Items);
    }

    [Fact]
    public void Store_loads_the_latest_snapshot_within_the_criteria_and_the_sequence_bound()
    {
        var pid = TestStores.NewPid();
        SaveSnapshots(pid, 5);

        Assert.Equal(3, Load(pid, new SnapshotSelectionCriteria(3)).Snapshot!.Metadata.SequenceNr);
        Assert.Equal(2, Load(pid, SnapshotSelectionCriteria.Latest, toSequenceNr: 2).Snapshot!.Metadata.SequenceNr);
        Assert.Equal(MaxSequenceNrZeroSelectsNothing ? null : 5L, Load(pid, new SnapshotSelectionCriteria(0)).Snapshot?.Metadata.SequenceNr);
    }

    [Fact]
    public void Store_deletes_one_snapshot_by_its_metadata()
    {
        var pid = TestStores.NewPid();
        var saved = SaveSnapshots(pid, 3);

        SnapshotStore.Tell(new DeleteSnapshot(saved[2]), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotSuccess>();

        Assert.Equal(2, Load(pid, SnapshotSelectionCriteria.Latest).Snapshot!.Metadata.SequenceNr);
    }

    [Fact]
    public void Store_deletes_every_snapshot_matching_the_criteria_and_no_other()
    {
        var pid = TestStores.NewPid();
        var other = TestStores.NewPid();
        SaveSnapshots(pid, 4);
        SaveSnapshots(other, 2);

        SnapshotStore.Tell(new DeleteSnapshots(pid, new SnapshotSelectionCriteria(3)), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotsSuccess>();

        Assert.Null(Load(pid, new SnapshotSelectionCriteria(3)).Snapshot);
        Assert.Equal(4, Load(pid, SnapshotSelectionCriteria.Latest).Snapshot!.Metadata.SequenceNr);
        Assert.Equal(2, Load(other, SnapshotSelectionCriteria.Latest).Snapshot!.Metadata.SequenceNr);
    }

    [Fact]
    public void Store_replaces_a_snapshot_saved_again_at_the_same_sequence_nr()
    {
        var pid = TestStores.NewPid();
        Save(new SnapshotMetadata(pid, 7, DateTime.UtcNow), new ListSnapshot(["first"]));
        Save(new SnapshotMetadata(pid, 7, DateTime.UtcNow), new ListSnapshot(["second"]));

        Assert.Equal(["second"], ((ListSnapshot)Load(pid, SnapshotSelectionCriteria.Latest).Snapshot!.Snapshot).Items);
    }

    private List<SnapshotMetadata> SaveSnapshots(string pid, int count)
    {
        var saved = new List<SnapshotMetadata>();
        for (var seq = 1; seq <= count; seq++)
        {
            var items = Enumerable.Range(1, seq).Select(i => $"s-{i}").ToArray();
            saved.Add(Save(new SnapshotMetadata(pid, seq, DateTime.UtcNow), new ListSnapshot(items)));
        }

        return saved;
    }

    private SnapshotMetadata Save(SnapshotMetadata metadata, object snapshot)
    {
        SnapshotStore.Tell(new SaveSnapshot(metadata, snapshot), _sender.Ref);
        return _sender.ExpectMsg<SaveSnapshotSuccess>().Metadata;
    }

    private LoadSnapshotResult Load(string pid, SnapshotSelectionCriteria criteria, long toSequenceNr = long.MaxValue)
    {
        SnapshotStore.Tell(new LoadSnapshot(pid, criteria, toSequenceNr), _sender.Ref);
        return _sender.ExpectMsg<LoadSnapshotResult>();
    }
}
