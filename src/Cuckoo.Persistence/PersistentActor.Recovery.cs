using Cuckoo.Actors;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Persistence;

// Recovery: load the snapshot and the highest sequence nr, replay page by page, complete or fail.
public abstract partial class PersistentActor
{
    private void StartRecovery()
    {
        var persistence = Persistence;
        var persistenceId = PersistenceId;
        var criteria = RecoverySnapshotCriteria;
        var incarnation = _incarnation;
        var self = Self;
        _ = Task.Run(async () =>
        {
            try
            {
                var snapshot = await persistence.SnapshotStore.LoadAsync(persistenceId, criteria).ConfigureAwait(false);
                var highest = await persistence.Journal.ReadHighestSequenceNrAsync(persistenceId).ConfigureAwait(false);
                self.Tell(new RecoveryStarted(incarnation, snapshot, highest), self);
            }
            catch (Exception e)
            {
                self.Tell(new RecoveryStepFailed(incarnation, e), self);
            }
        });
    }

    private void OnRecoveryStarted(RecoveryStarted started)
    {
        _recoveryTarget = started.HighestSequenceNr;
        if (started.Snapshot is { } snapshot)
        {
            SnapshotSequenceNr = snapshot.Metadata.SequenceNr;
            LastSequenceNr = snapshot.Metadata.SequenceNr;
            if (!TryRecover(new SnapshotOffer(snapshot.Metadata, snapshot.Snapshot), null))
            {
                return;
            }
        }

        ReplayNextPage();
    }

    private void ReplayNextPage()
    {
        if (LastSequenceNr >= _recoveryTarget)
        {
            CompleteRecovery();
            return;
        }

        var journal = Persistence.Journal;
        var persistenceId = PersistenceId;
        var from = LastSequenceNr + 1;
        var to = _recoveryTarget;
        var max = Persistence.Settings.ReplayPageSize;
        var incarnation = _incarnation;
        var self = Self;
        _ = Task.Run(async () =>
        {
            try
            {
                var events = new List<PersistentRepr>();
                await journal.ReplayAsync(persistenceId, from, to, max, events.Add).ConfigureAwait(false);
                self.Tell(new EventsReplayed(incarnation, events), self);
            }
            catch (Exception e)
            {
                self.Tell(new RecoveryStepFailed(incarnation, e), self);
            }
        });
    }

    private void OnEventsReplayed(IReadOnlyList<PersistentRepr> events)
    {
        foreach (var repr in events)
        {
            LastSequenceNr = repr.SequenceNr;
            if (!TryRecover(repr.Payload, repr.SequenceNr))
            {
                return;
            }
        }

        if (events.Count == 0)
        {
            // Events up to the highest number were deleted: nothing more to replay.
            LastSequenceNr = _recoveryTarget;
        }

        ReplayNextPage();
    }

    private void CompleteRecovery()
    {
        LastSequenceNr = Math.Max(LastSequenceNr, _recoveryTarget);
        _highestAllocatedSequenceNr = LastSequenceNr;
        if (!TryRecover(RecoveryCompleted.Instance, null))
        {
            return;
        }

        _recovering = false;
        Stash.UnstashAll();
    }

    private bool TryRecover(object message, long? sequenceNr)
    {
        try
        {
            ReceiveRecover(message);
            return true;
        }
        catch (Exception e)
        {
            FailRecovery(e, sequenceNr);
            return false;
        }
    }

    private void FailRecovery(Exception cause, long? sequenceNr)
    {
        Log.LogError(
            cause,
            "Recovery of persistent actor '{PersistenceId}' ({Path}) failed{At}; stopping it rather than running on bad state",
            PersistenceId,
            Self.Path,
            sequenceNr is { } n ? $" at event {n}" : "");
        Context.System.EventStream.Publish(new RecoveryFailure(PersistenceId, cause, sequenceNr));
        try
        {
            OnRecoveryFailure(cause, sequenceNr);
        }
        finally
        {
            // Stashed commands go back to the mailbox, which the stop turns into dead letters: logged, not silently lost.
            Stash.UnstashAll();
            Context.Stop(Self);
        }
    }
}
