namespace Cuckoo.Persistence;

/// <summary>Offered to <c>ReceiveRecover</c> first when recovery starts from a snapshot.</summary>
public sealed record SnapshotOffer(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Delivered to <c>ReceiveRecover</c> after the last replayed event; commands follow.</summary>
public sealed class RecoveryCompleted
{
    public static readonly RecoveryCompleted Instance = new();

    private RecoveryCompleted()
    {
    }

    public override string ToString() => "RecoveryCompleted";
}

/// <summary>
/// Published on the event stream when a persistent actor could not recover (storage error, unknown manifest,
/// or its ReceiveRecover threw); the actor has been stopped rather than run on bad state.
/// </summary>
/// <param name="SequenceNr">The event being replayed when it failed, if any.</param>
public sealed record RecoveryFailure(string PersistenceId, Exception Cause, long? SequenceNr);

/// <summary>Sent to Self after <c>SaveSnapshot</c> was stored.</summary>
public sealed record SaveSnapshotSuccess(SnapshotMetadata Metadata);

/// <summary>Sent to Self when <c>SaveSnapshot</c> failed; the actor keeps running (the journal still has every event).</summary>
public sealed record SaveSnapshotFailure(SnapshotMetadata Metadata, Exception Cause);

/// <summary>Sent to Self after <c>DeleteMessages</c> deleted the events up to <paramref name="ToSequenceNr"/>.</summary>
public sealed record DeleteMessagesSuccess(long ToSequenceNr);

/// <summary>Sent to Self when <c>DeleteMessages</c> failed; nothing was deleted.</summary>
public sealed record DeleteMessagesFailure(long ToSequenceNr, Exception Cause);

/// <summary>Sent to Self after <c>DeleteSnapshots</c> deleted the matching snapshots.</summary>
public sealed record DeleteSnapshotsSuccess(SnapshotSelectionCriteria Criteria);

/// <summary>Sent to Self when <c>DeleteSnapshots</c> failed.</summary>
public sealed record DeleteSnapshotsFailure(SnapshotSelectionCriteria Criteria, Exception Cause);

// The actor's own plumbing; each carries the incarnation that started it, so a restarted actor ignores
// what its failed predecessor asked for.
internal sealed record RecoveryStarted(object Incarnation, SelectedSnapshot? Snapshot, long HighestSequenceNr);

internal sealed record EventsReplayed(object Incarnation, IReadOnlyList<PersistentRepr> Events);

internal sealed record RecoveryStepFailed(object Incarnation, Exception Cause);

internal sealed record WriteSucceeded(object Incarnation);

internal sealed record WriteFailed(object Incarnation, Exception Cause);
