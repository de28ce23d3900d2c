using Cuckoo.Actors;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Persistence;

/// <summary>
/// An event-sourced actor. On start it recovers: the latest snapshot is offered to <see cref="ReceiveRecover"/>,
/// then every later event, then <see cref="RecoveryCompleted"/>; commands that arrive meanwhile are stashed.
/// <see cref="Persist{TEvent}"/> handlers run only after the journal has made the write durable, and commands
/// arriving while a write is pending are stashed and processed afterwards in their original order.
/// Failure semantics (as in Akka): a recovery failure stops the actor and publishes <see cref="Cuckoo.Persistence.RecoveryFailure"/>;
/// a persist failure stops the actor (its state may no longer match the journal, so a restart must recover it
/// afresh); an exception in a command or event handler goes to the supervisor, whose restart recovers again.
/// </summary>
public abstract partial class PersistentActor : ActorBase
{
    private readonly object _incarnation = new();
    private readonly List<AtomicWrite> _unflushedWrites = [];
    private readonly List<Action> _unflushedHandlers = [];
    private List<Action> _inFlightHandlers = [];
    private PersistenceExtension? _persistence;
    private Action<object>? _commandBehaviour;
    private bool _recovering = true;
    private bool _writeInFlight;
    private long _highestAllocatedSequenceNr;
    private long _recoveryTarget;

    /// <summary>The actor's stable identity in the journal; must not change between incarnations.</summary>
    public abstract string PersistenceId { get; }

    /// <summary>The sequence nr of the last event recovered or whose persist handler is running or has run.</summary>
    public long LastSequenceNr { get; private set; }

    /// <summary>The sequence nr of the snapshot recovery started from (0 if none).</summary>
    public long SnapshotSequenceNr { get; private set; }

    /// <summary>True until <see cref="RecoveryCompleted"/> has been delivered.</summary>
    protected bool IsRecovering => _recovering;

    /// <summary>Which snapshot recovery starts from (the newest by default; <see cref="SnapshotSelectionCriteria.None"/> replays everything).</summary>
    protected virtual SnapshotSelectionCriteria RecoverySnapshotCriteria => SnapshotSelectionCriteria.Latest;

    protected IJournal Journal => Persistence.Journal;

    protected ISnapshotStore SnapshotStore => Persistence.SnapshotStore;

    private PersistenceExtension Persistence => _persistence ??= PersistenceExtension.Get(Context.System);

    /// <summary>Handles <see cref="SnapshotOffer"/>, replayed events and <see cref="RecoveryCompleted"/>. Must only rebuild state.</summary>
    protected abstract void ReceiveRecover(object message);

    /// <summary>Handles commands once recovered.</summary>
    protected abstract void ReceiveCommand(object message);

    /// <summary>
    /// Handles commands with <paramref name="behaviour"/> instead of <see cref="ReceiveCommand"/> (null goes back to it).
    /// Use this, not <c>Context.Become</c>, which would bypass the persistence plumbing.
    /// </summary>
    protected void BecomeCommand(Action<object>? behaviour) => _commandBehaviour = behaviour;

    /// <summary>Journals one event; <paramref name="handler"/> runs after it is durable, with Sender still the command's sender.</summary>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler)
        where TEvent : notnull
    {
        PersistAll([@event], handler);
    }

    /// <summary>Journals events atomically (all or none); <paramref name="handler"/> runs for each, in order, once they are durable.</summary>
    protected void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(handler);
        if (_recovering)
        {
            throw new InvalidOperationException($"'{PersistenceId}' cannot persist while recovering: ReceiveRecover must only rebuild state.");
        }

        var list = events.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var reprs = new List<PersistentRepr>(list.Count);
        foreach (var e in list)
        {
            var sequenceNr = ++_highestAllocatedSequenceNr;
            reprs.Add(new PersistentRepr(PersistenceId, sequenceNr, e));
            _unflushedHandlers.Add(() =>
            {
                LastSequenceNr = sequenceNr;
                handler(e);
            });
        }

        _unflushedWrites.Add(new AtomicWrite(reprs));
    }

    /// <summary>Stores <paramref name="snapshot"/> as of <see cref="LastSequenceNr"/>; <see cref="SaveSnapshotSuccess"/> or <see cref="SaveSnapshotFailure"/> follows.</summary>
    protected void SaveSnapshot(object snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metadata = new SnapshotMetadata(PersistenceId, LastSequenceNr, Context.System.Time.GetUtcNow());
        var store = SnapshotStore;
        Report(
            Task.Run(() => store.SaveAsync(metadata, snapshot)),
            () => new SaveSnapshotSuccess(metadata),
            e => new SaveSnapshotFailure(metadata, e));
    }

    /// <summary>Deletes journaled events up to <paramref name="toSequenceNr"/>; <see cref="DeleteMessagesSuccess"/> or <see cref="DeleteMessagesFailure"/> follows.</summary>
    protected void DeleteMessages(long toSequenceNr)
    {
        var journal = Journal;
        var persistenceId = PersistenceId;
        Report(
            Task.Run(() => journal.DeleteMessagesToAsync(persistenceId, toSequenceNr)),
            () => new DeleteMessagesSuccess(toSequenceNr),
            e => new DeleteMessagesFailure(toSequenceNr, e));
    }

    /// <summary>Deletes snapshots matching <paramref name="criteria"/>; <see cref="DeleteSnapshotsSuccess"/> or <see cref="DeleteSnapshotsFailure"/> follows.</summary>
    protected void DeleteSnapshots(SnapshotSelectionCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var store = SnapshotStore;
        var persistenceId = PersistenceId;
        Report(
            Task.Run(() => store.DeleteAsync(persistenceId, criteria)),
            () => new DeleteSnapshotsSuccess(criteria),
            e => new DeleteSnapshotsFailure(criteria, e));
    }

    /// <summary>Called before the actor stops because recovery failed.</summary>
    protected virtual void OnRecoveryFailure(Exception cause, long? sequenceNr)
    {
    }

    /// <summary>Called before the actor stops because a write failed (storage error, conflict, or an event that cannot be serialized).</summary>
    protected virtual void OnPersistFailure(Exception cause)
    {
    }

    /// <summary>Starts recovery; override <see cref="OnPreStart"/> for start-up work instead.</summary>
    protected sealed override void PreStart()
    {
        OnPreStart();
        StartRecovery();
    }

    /// <summary>Runs before recovery starts.</summary>
    protected virtual void OnPreStart()
    {
    }

    protected sealed override void OnReceive(object message)
    {
        switch (message)
        {
            case RecoveryStarted m when m.Incarnation == _incarnation:
                OnRecoveryStarted(m);
                return;
            case EventsReplayed m when m.Incarnation == _incarnation:
                OnEventsReplayed(m.Events);
                return;
            case RecoveryStepFailed m when m.Incarnation == _incarnation:
                FailRecovery(m.Cause, null);
                return;
            case WriteSucceeded m when m.Incarnation == _incarnation:
                OnWriteSucceeded();
                return;
            case WriteFailed m when m.Incarnation == _incarnation:
                OnWriteFailed(m.Cause);
                return;
            case RecoveryStarted or EventsReplayed or RecoveryStepFailed or WriteSucceeded or WriteFailed:
                return; // addressed to a previous incarnation
        }

        if (_recovering || _writeInFlight)
        {
            Stash.Stash();
            return;
        }

        if (_commandBehaviour is { } behaviour)
        {
            behaviour(message);
        }
        else
        {
            ReceiveCommand(message);
        }

        Flush();
    }

    private void Flush()
    {
        if (_writeInFlight || _unflushedWrites.Count == 0)
        {
            return;
        }

        var writes = _unflushedWrites.ToArray();
        _unflushedWrites.Clear();
        _inFlightHandlers = [.. _unflushedHandlers];
        _unflushedHandlers.Clear();
        _writeInFlight = true;

        var incarnation = _incarnation;
        var self = Self;
        var sender = Sender;
        var journal = Persistence.Journal;
        if (journal is BatchingJournal batching)
        {
            batching.Write(writes, error => self.Tell(
                error is null ? new WriteSucceeded(incarnation) : new WriteFailed(incarnation, error),
                sender));
            return;
        }

        journal.WriteAsync(writes).ContinueWith(
            t => self.Tell(
                t.IsCompletedSuccessfully ? new WriteSucceeded(incarnation) : new WriteFailed(incarnation, Unwrap(t.Exception)),
                sender),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnWriteSucceeded()
    {
        var handlers = _inFlightHandlers;
        _inFlightHandlers = [];
        _writeInFlight = false;
        foreach (var handler in handlers)
        {
            handler();
        }

        // Handlers may have persisted more; those commit before any stashed command runs.
        Flush();
        if (!_writeInFlight)
        {
            Stash.UnstashAll();
        }
    }

    private void OnWriteFailed(Exception cause)
    {
        Log.LogError(
            cause,
            "Persisting events of '{PersistenceId}' ({Path}) failed; stopping the actor (its state may no longer match the journal)",
            PersistenceId,
            Self.Path);
        try
        {
            OnPersistFailure(cause);
        }
        finally
        {
            // Stashed commands go back to the mailbox, which the stop turns into dead letters: logged, not silently lost.
            Stash.UnstashAll();
            Context.Stop(Self);
        }
    }

    private void Report(Task task, Func<object> success, Func<Exception, object> failure)
    {
        var self = Self;
        task.ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? success() : failure(Unwrap(t.Exception)), self),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static Exception Unwrap(AggregateException? e) =>
        e is null ? new TaskCanceledException() : e.InnerExceptions.Count == 1 ? e.InnerExceptions[0] : e;
}
