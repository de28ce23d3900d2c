namespace Cuckoo.Persistence;

/// <summary>Identifies a stored snapshot: whose, up to which event, and when it was taken.</summary>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, DateTimeOffset Timestamp);

/// <summary>A loaded snapshot.</summary>
public sealed record SelectedSnapshot(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Which snapshots a load or delete considers; all bounds inclusive.</summary>
public sealed record SnapshotSelectionCriteria(
    long MaxSequenceNr = long.MaxValue,
    DateTimeOffset? MaxTimestamp = null,
    long MinSequenceNr = 0,
    DateTimeOffset? MinTimestamp = null)
{
    /// <summary>Any snapshot; a load picks the newest.</summary>
    public static SnapshotSelectionCriteria Latest { get; } = new();

    /// <summary>No snapshot: recovery replays the whole journal.</summary>
    public static SnapshotSelectionCriteria None { get; } = new(MaxSequenceNr: 0, MinSequenceNr: 1);

    internal long MaxTimestampMs => (MaxTimestamp ?? DateTimeOffset.MaxValue).ToUnixTimeMilliseconds();

    internal long MinTimestampMs => MinTimestamp is { } t ? t.ToUnixTimeMilliseconds() : long.MinValue;

    internal bool Matches(long sequenceNr, long timestampMs) =>
        sequenceNr >= MinSequenceNr && sequenceNr <= MaxSequenceNr
        && timestampMs >= MinTimestampMs && timestampMs <= MaxTimestampMs;
}
