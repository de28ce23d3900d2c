using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;
using Cuckoo.Coordinator.Metrics;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Persistence;

namespace Cuckoo.Coordinator.Scheduler;

/// <summary>
/// Accepts tasks, assigns each to a miner the registry picks, and records its result or failure, journaling every step.
/// A command's events are applied to the state at once, so that the next command sees them, but everything anyone
/// outside can observe (replies, picks, dispatches, progress) waits until they are durable. The steps of all commands
/// handled while the previous write was in flight go out together, packed into <see cref="SchedulerSteps"/> rows of up
/// to <see cref="SchedulerSettings.StepsPerEvent"/> steps, since the journal's cost is per row. A failed or rejected
/// write stops the actor, so the state never runs ahead of the journal past a crash. Messages are in
/// <c>SchedulerProtocol.cs</c>.
/// </summary>
public sealed partial class Scheduler : ReceivePersistentActor, IWithTimers
{
    private const string SweepTimer = "sweep";

    private readonly SchedulerSettings _settings;
    private readonly IActorRef _registry;
    private readonly IActorRef _dispatcher;
    private readonly CoordinatorMetrics? _metrics;
    private readonly IActorRef _trust;
    private readonly ResultsAgree _agree;
    private readonly Func<double> _random;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TaskBook _book;
    private readonly WaitingQueue _waiting = new();
    private readonly PriorityQueue<(string TaskId, int Version), DateTimeOffset> _due = new();
    private readonly HashSet<IActorRef> _watchers = [];
    private List<IPersistedEvent> _pending = [];

    // Messages to send once the pending events are durable: plain pairs, not closures, as there are several per task.
    private List<(IActorRef To, object Message)> _effects = [];

    // Those to send once the write in flight is durable; null while none is. One write at a time: the next one takes
    // every step handled meanwhile, which is what batches them.
    private List<(IActorRef To, object Message)>? _writing;
    private bool _flushQueued;
    private int _sinceSnapshot;
    private long _recoveryStarted;

    public Scheduler(SchedulerSettings settings, IActorRef registry, IActorRef dispatcher, CoordinatorMetrics? metrics = null, IActorRef? trust = null)
    {
        _settings = settings;
        _registry = registry;
        _dispatcher = dispatcher;
        _metrics = metrics;
        _trust = trust ?? ActorRefs.Nobody;
        _agree = settings.Agree ?? ((_, a, _, b, _) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase));
        _random = settings.Random ?? System.Random.Shared.NextDouble;
        _book = new TaskBook(settings.RecentOutcomes);

        Recover<SnapshotOffer>(offer =>
        {
            // Replaying on from a snapshot not applied would build a wrong state: a failed recovery is better.
            if (!_book.Restore(offer.Snapshot))
            {
                throw new InvalidOperationException($"scheduler {PersistenceId}: a snapshot of type {offer.Snapshot.GetType().Name} is not the scheduler's");
            }
        });
        Recover<IPersistedEvent>(e => { _book.Apply(e); });
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<SubmitTask>(OnSubmit);
        Command<MinerPicked>(OnPicked);
        Command<NoMinerAvailable>(OnNoMiner);
        Command<ReportResult>(OnResult);
        Command<SettlementRecorded>(_ => { });
        Command<ReportFailure>(OnFailure);
        Command<AttemptStarted>(OnStarted);
        Command<MinerLost>(OnMinerLost);
        Command<CreditsFreed>(OnCreditsFreed);
        Command<GetTask>(m => Reply(Sender, StatusOf(m.TaskId)));
        Command<SubscribeTask>(OnSubscribe);
        Command<WatchTasks>(m =>
        {
            if (_watchers.Add(m.Subscriber))
            {
                Context.Watch(m.Subscriber);
            }
        });
        Command<Terminated>(m => _watchers.Remove(m.ActorRef));
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
    /// <param name="metrics">The node's instruments, updated by the scheduler; null: none.</param>
    /// <param name="trust">Told <see cref="TaskSettled"/> for every completed task: the trust keeper; null: nobody.</param>
    /// <exception cref="ArgumentException">settings out of range.</exception>
    public static Props Props(SchedulerSettings settings, IActorRef registry, IActorRef dispatcher, CoordinatorMetrics? metrics = null, IActorRef? trust = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(dispatcher);
        settings.Validate();
        return Akka.Actor.Props.Create(() => new Scheduler(settings, registry, dispatcher, metrics, trust));
    }

    /// <summary>
    /// The scheduler under a <see cref="BackoffSupervisor"/> that starts it again, recovering from the journal, after it
    /// stopped (a failed write or recovery), without limit: after 1 s, doubling to 30 s, unless given.
    /// </summary>
    /// <param name="metrics">The node's instruments, carried over to every restart; null: none.</param>
    public static Props SupervisedProps(
        SchedulerSettings settings,
        IActorRef registry,
        IActorRef dispatcher,
        TimeSpan? minBackoff = null,
        TimeSpan? maxBackoff = null,
        CoordinatorMetrics? metrics = null,
        IActorRef? trust = null) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props(settings, registry, dispatcher, metrics, trust), "scheduler", minBackoff ?? TimeSpan.FromSeconds(1), maxBackoff ?? TimeSpan.FromSeconds(30),
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
        var now = Now;
        foreach (var task in _book.Live.ToList())
        {
            // The miners may never have got their attempts, or lost them with our restart: sending them again is harmless.
            foreach (var run in task.Runs ?? [])
            {
                run.Due = now + task.Accepted.Deadline;
                _dispatcher.Tell(Dispatch(task, run));
                redispatched++;
            }
            if (task.ResultCount > 0)
            {
                Evaluate(task);
            }
            else
            {
                Progress(task);
            }
        }
        // The trust keeper may have missed a settlement written just before the crash; it takes each task once.
        foreach (var outcome in _book.RecentOutcomes)
        {
            if (SettlementOf(outcome) is { } settled)
            {
                _trust.Tell(settled);
            }
        }
        Timers.StartPeriodicTimer(SweepTimer, Sweep.Instance, _settings.SweepInterval);
        PublishDepth();
        _log.Info("scheduler {0} recovered {1} live tasks ({2} attempts dispatched again) in {3} ms",
            PersistenceId, _book.LiveCount, redispatched, Environment.TickCount64 - _recoveryStarted);
    }

    private void PublishDepth() => _metrics?.SetQueueDepth(_book.LiveCount - _book.AssignedCount, _book.AssignedCount);

    /// <summary>Queues the task's next due time: the earliest deadline of its runs, or its next pick; stale entries are skipped by version.</summary>
    private void Rearm(LiveTask task)
    {
        DateTimeOffset? next = task.PickRetryAt;
        foreach (var run in task.Runs ?? [])
        {
            if (next is null || run.Due < next)
            {
                next = run.Due;
            }
        }
        task.Version++;
        if (next is { } due)
        {
            _due.Enqueue((task.Id, task.Version), due);
        }
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
            foreach (var run in task.Runs?.Where(r => r.Due <= now).ToList() ?? [])
            {
                if (_book.Find(task.Id) != task)
                {
                    break;
                }
                Reassign(task, run, ReassignReason.Deadline, $"no result within the deadline of {task.Accepted.Deadline}");
            }
            if (_book.Find(task.Id) != task)
            {
                continue;
            }
            if (task.PickRetryAt is { } retry && retry <= now)
            {
                RetryPick(task, now);
            }
            if (_book.Find(task.Id) == task)
            {
                Rearm(task);
            }
        }
    }

    private void RetryPick(LiveTask task, DateTimeOffset now)
    {
        task.PickRetryAt = null;
        if (Wanted(task) == 0)
        {
            return;
        }
        if (task.Accepted.Audited && task.RunCount == 0 && task.FirstResultAt is { } first && now - first >= _settings.AuditWait && Unanimous(task))
        {
            Complete(task, Groups(task)[0], audited: false);
        }
        else if (now - task.QueuedSince >= _settings.MaxQueueWait)
        {
            GiveUp(task, $"no miner within {_settings.MaxQueueWait}: {task.LastNoMiner ?? "the registry did not answer"}");
        }
        else
        {
            RequestPick(task);
        }
    }

    private void RequestPick(LiveTask task)
    {
        _waiting.Remove(task);
        task.PickInFlight = true;
        // Asked again after this long whatever the answer, so that a lost reply or an empty registry only delays the task.
        task.PickRetryAt = Now + _settings.AssignmentRetry;
        Rearm(task);
        var pick = new PickMiner(task.Id, task.Accepted.Model)
        {
            Exclude = task.Tried is { Count: > 0 } tried ? new HashSet<Chain.Address>(tried) : null,
            Pinned = task.Accepted.PinnedMiners,
        };
        After(_registry, pick);
    }

    private static DispatchTask Dispatch(LiveTask task, Run run) => new(
        task.Id, run.Miner, run.Attempt, task.Accepted.Model, task.Accepted.Input, task.Accepted.Parameters, task.Accepted.Deadline);

    private TaskStatus StatusOf(string taskId) =>
        _book.Find(taskId)?.Status ?? _book.FindOutcome(taskId)?.Status ?? new TaskStatus.Unknown(taskId);

    private void Notify(LiveTask task, TaskStatus status)
    {
        if (_watchers.Count > 0)
        {
            var observed = new TaskObserved(task.Accepted.AppId, task.Accepted.Model, status, task.Accepted.At, Now);
            foreach (var watcher in _watchers)
            {
                After(watcher, observed);
            }
        }
        if (task.Subscribers is { Count: > 0 } subscribers)
        {
            foreach (var subscriber in subscribers)
            {
                After(subscriber, status);
            }
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
