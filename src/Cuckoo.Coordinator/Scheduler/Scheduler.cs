using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Persistence;

namespace Cuckoo.Coordinator.Scheduler;

/// <summary>
/// Accepts tasks, assigns each to a miner the registry picks, and records its result or failure, journaling every step.
/// A command's events are applied to the state at once, so that the next command sees them, but everything anyone
/// outside can observe (replies, picks, dispatches, progress) waits until they are durable. The events of all commands
/// handled while the previous write was in flight go out in one <c>PersistAll</c>, which is what makes SQLite fast
/// enough. A failed or rejected write stops the actor, so the state never runs ahead of the journal past a crash.
/// Messages are in <c>SchedulerProtocol.cs</c>.
/// </summary>
public sealed partial class Scheduler : ReceivePersistentActor, IWithTimers
{
    private const string SweepTimer = "sweep";

    private readonly SchedulerSettings _settings;
    private readonly IActorRef _registry;
    private readonly IActorRef _dispatcher;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TaskBook _book;
    private readonly PriorityQueue<(string TaskId, int Version), DateTimeOffset> _due = new();
    private List<IPersistedEvent> _pending = [];
    private List<Action> _effects = [];
    private bool _flushQueued;
    private int _sinceSnapshot;
    private long _recoveryStarted;

    public Scheduler(SchedulerSettings settings, IActorRef registry, IActorRef dispatcher)
    {
        _settings = settings;
        _registry = registry;
        _dispatcher = dispatcher;
        _book = new TaskBook(settings.RecentOutcomes);

        Recover<SnapshotOffer>(offer => offer.Snapshot is SchedulerSnapshot, offer => _book.Restore((SchedulerSnapshot)offer.Snapshot));
        Recover<IPersistedEvent>(e => { _book.Apply(e); });
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<SubmitTask>(OnSubmit);
        Command<MinerPicked>(OnPicked);
        Command<NoMinerAvailable>(OnNoMiner);
        Command<ReportResult>(OnResult);
        Command<ReportFailure>(OnFailure);
        Command<MinerLost>(OnMinerLost);
        Command<GetTask>(m => Reply(Sender, StatusOf(m.TaskId)));
        Command<SubscribeTask>(OnSubscribe);
        Command<Sweep>(_ => OnSweep());
        Command<Flush>(_ => OnFlush());
        Command<SaveSnapshotSuccess>(saved =>
        {
            // The snapshot holds the whole state: older events and snapshots are no longer needed for recovery.
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "scheduler {0} could not save a snapshot; the journal still has every event", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning(f.Cause, "scheduler {0} could not delete old events", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "scheduler {0} could not delete old snapshots", PersistenceId));
    }

    /// <summary>Props for the scheduler; the system must have a journal and a snapshot store configured.</summary>
    /// <param name="registry">Answers <see cref="PickMiner"/>: the <see cref="MinerRegistry"/>.</param>
    /// <param name="dispatcher">Receives <see cref="DispatchTask"/> and <see cref="RevokeTask"/> and carries them to the miners.</param>
    /// <exception cref="ArgumentException">settings out of range.</exception>
    public static Props Props(SchedulerSettings settings, IActorRef registry, IActorRef dispatcher)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(dispatcher);
        settings.Validate();
        return Akka.Actor.Props.Create(() => new Scheduler(settings, registry, dispatcher));
    }

    /// <summary>
    /// The scheduler under a <see cref="BackoffSupervisor"/> that starts it again, recovering from the journal, after it
    /// stopped (a failed write or recovery), without limit: after 1 s, doubling to 30 s, unless given.
    /// </summary>
    public static Props SupervisedProps(
        SchedulerSettings settings, IActorRef registry, IActorRef dispatcher, TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props(settings, registry, dispatcher), "scheduler", minBackoff ?? TimeSpan.FromSeconds(1), maxBackoff ?? TimeSpan.FromSeconds(30),
            randomFactor: 0.2, maxNrOfRetries: -1));

    public override string PersistenceId => _settings.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PreStart()
    {
        _recoveryStarted = Environment.TickCount64;
        base.PreStart();
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The state already holds the rejected events: only a fresh recovery brings it back to the journal's.
        _log.Error(cause, "scheduler {0}: the journal rejected {1}; stopping to recover from the journal", PersistenceId, @event.GetType().Name);
        Context.Stop(Self);
    }

    private void OnRecovered()
    {
        var redispatched = 0;
        foreach (var task in _book.Live)
        {
            if (task.Attempt > 0 && task.Miner is not null)
            {
                // The miner may never have got it, or lost it with our restart: sending the same attempt again is harmless.
                Arm(task, Now + task.Accepted.Deadline);
                _dispatcher.Tell(Dispatch(task));
                redispatched++;
            }
            else
            {
                RequestPick(task);
            }
        }
        Timers.StartPeriodicTimer(SweepTimer, Sweep.Instance, _settings.SweepInterval);
        _log.Info("scheduler {0} recovered {1} live tasks ({2} dispatched again) in {3} ms",
            PersistenceId, _book.LiveCount, redispatched, Environment.TickCount64 - _recoveryStarted);
    }

    /// <summary>Applies an event now and queues it for the next journal write.</summary>
    private LiveTask? Emit(IPersistedEvent e)
    {
        _pending.Add(e);
        if (!_flushQueued)
        {
            _flushQueued = true;
            Self.Tell(Flush.Instance);
        }
        var task = _book.Apply(e);
        if (task is not null)
        {
            task.Version++;
        }
        return task;
    }

    /// <summary>Runs <paramref name="effect"/> once every event emitted so far is durable.</summary>
    private void After(Action effect)
    {
        if (_pending.Count == 0)
        {
            effect();
        }
        else
        {
            _effects.Add(effect);
        }
    }

    private void Reply(IActorRef to, object message) => After(() => to.Tell(message));

    private void OnFlush()
    {
        _flushQueued = false;
        if (_pending.Count == 0)
        {
            return;
        }
        var events = _pending;
        var effects = _effects;
        _pending = [];
        _effects = [];
        var left = events.Count;
        // PersistAll stashes commands until the handlers have run, so when the last one runs the state is exactly the journal's.
        PersistAll(events, _ =>
        {
            if (--left > 0)
            {
                return;
            }
            foreach (var effect in effects)
            {
                effect();
            }
            _sinceSnapshot += events.Count;
            if (_sinceSnapshot >= _settings.SnapshotEvery)
            {
                _sinceSnapshot = 0;
                SaveSnapshot(_book.ToSnapshot());
            }
        });
    }

    private void Arm(LiveTask task, DateTimeOffset due)
    {
        task.Version++;
        _due.Enqueue((task.Id, task.Version), due);
    }

    private void OnSweep()
    {
        var now = Now;
        while (_due.TryPeek(out var entry, out var due) && due <= now)
        {
            _due.Dequeue();
            if (_book.Find(entry.TaskId) is not { } task || task.Version != entry.Version)
            {
                continue;
            }
            if (task.Miner is not null)
            {
                Reassign(task, $"no result within the deadline of {task.Accepted.Deadline}");
            }
            else if (now - task.QueuedSince >= _settings.MaxQueueWait)
            {
                Fail(task, $"no miner within {_settings.MaxQueueWait}: {task.LastNoMiner ?? "the registry did not answer"}");
            }
            else
            {
                RequestPick(task);
            }
        }
    }

    private void RequestPick(LiveTask task)
    {
        task.PickInFlight = true;
        // Asked again after this long whatever the answer, so that a lost reply or an empty registry only delays the task.
        Arm(task, Now + _settings.AssignmentRetry);
        var pick = new PickMiner(task.Id, task.Accepted.Model)
        {
            Exclude = task.Tried.Count > 0 ? new HashSet<Chain.Address>(task.Tried) : null,
            Pinned = task.Accepted.PinnedMiners,
        };
        After(() => _registry.Tell(pick));
    }

    private static DispatchTask Dispatch(LiveTask task) => new(
        task.Id, task.Miner!.Value, task.Attempt, task.Accepted.Model, task.Accepted.Input, task.Accepted.Parameters, task.Accepted.Deadline);

    private TaskStatus StatusOf(string taskId) =>
        _book.Find(taskId)?.Status ?? _book.FindOutcome(taskId)?.Status ?? new TaskStatus.Unknown(taskId);

    private void Notify(LiveTask task, TaskStatus status)
    {
        if (task.Subscribers is { Count: > 0 } subscribers)
        {
            After(() => subscribers.ForEach(s => s.Tell(status)));
        }
    }

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }
}
