using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;

namespace Cuckoo.ChainWatcher;

/// <summary>
/// Polls the node for the staking contract's logs, delivers them as <see cref="IChainEvent"/> messages to its
/// subscribers and the event stream once they have enough confirmations, and journals the checkpoint after each
/// poll that advanced it. Events are delivered in the persist handler, i.e. only after the checkpoint that covers
/// them is durable, so a restart resumes after the last delivered block: no gaps, no repeats (a crash in the
/// instant between commit and delivery loses that batch for in-process subscribers, which die with the process).
/// </summary>
public sealed class ChainWatcher : ReceivePersistentActor, IWithTimers
{
    private const string PollTimer = "poll";
    private const string StaleTimer = "stale";

    private readonly ChainWatcherSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ChainPoller _poller;
    private ChainCheckpoint _checkpoint;
    private object? _poll;
    private bool _fresh;
    private bool _stale;
    private int _failures;
    private string? _lastError;
    private DateTimeOffset _startedAt;
    private DateTimeOffset? _lastSuccessAt;
    private int _checkpointsSinceSnapshot;

    public ChainWatcher(ChainWatcherSettings settings)
    {
        _settings = settings;
        _checkpoint = ChainCheckpoint.Initial(settings.StartBlock);
        _poller = new ChainPoller(settings);

        Recover<SnapshotOffer>(offer => offer.Snapshot is ChainCheckpoint snapshot, offer => _checkpoint = (ChainCheckpoint)offer.Snapshot);
        Recover<ChainCheckpoint>(checkpoint => _checkpoint = checkpoint);
        Recover<RecoveryCompleted>(_ =>
        {
            _log.Info("chain watcher {0} resumes after block {1}", PersistenceId, _checkpoint.Block);
            Timers.StartSingleTimer(StaleTimer, StaleDeadline.Instance, _settings.StaleAfter);
            Self.Tell(PollChainNow.Instance);
        });

        Command<PollChainNow>(_ => StartPoll());
        Command<PollCompleted>(completed =>
        {
            // Only the poll in flight counts; polls are sequential, so anything else is a stray and is dropped.
            if (completed.Poll == _poll)
            {
                _poll = null;
                OnPolled(completed.Outcome);
            }
        });
        Command<StaleDeadline>(_ => MarkStale());
        Command<SubscribeChainEvents>(subscribe =>
        {
            _subscribers.Add(subscribe.Subscriber);
            Context.Watch(subscribe.Subscriber);
            Sender.Tell(new ChainEventsSubscribed(subscribe.Subscriber, _checkpoint.Block));
        });
        Command<UnsubscribeChainEvents>(unsubscribe =>
        {
            _subscribers.Remove(unsubscribe.Subscriber);
            Context.Unwatch(unsubscribe.Subscriber);
            Sender.Tell(new ChainEventsUnsubscribed(unsubscribe.Subscriber));
        });
        Command<Terminated>(terminated => _subscribers.Remove(terminated.ActorRef));
        Command<GetChainWatcherStatus>(_ => Sender.Tell(
            new ChainWatcherStatus(_checkpoint.Block, _checkpoint.Hash, _fresh, _stale, _lastSuccessAt, _failures, _subscribers.Count)));
        Command<SaveSnapshotSuccess>(saved =>
        {
            // The snapshot holds the whole state: older checkpoints and snapshots are no longer needed for recovery.
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failure =>
            _log.Warning(failure.Cause, "chain watcher {0} could not save a snapshot; the journal still has every checkpoint", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failure => _log.Warning(failure.Cause, "chain watcher {0} could not delete old checkpoints", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure => _log.Warning(failure.Cause, "chain watcher {0} could not delete old snapshots", PersistenceId));
    }

    /// <summary>Props for the watcher; the system must have a journal and a snapshot store configured.</summary>
    /// <exception cref="ArgumentException">settings out of range.</exception>
    public static Props Props(ChainWatcherSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return Akka.Actor.Props.Create(() => new ChainWatcher(settings));
    }

    /// <summary>
    /// The watcher under a <see cref="BackoffSupervisor"/> that starts it again, recovering from the journal, after it
    /// stopped (Akka stops a persistent actor whose journal write or recovery failed), without limit: after 1 s, doubling to 30 s,
    /// unless given. Messages to the supervisor reach the current watcher; subscriptions by message live in a watcher
    /// and end with it, so subscribe on the event stream to outlive a restart.
    /// </summary>
    public static Props SupervisedProps(ChainWatcherSettings settings, TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props(settings), "watcher", minBackoff ?? TimeSpan.FromSeconds(1), maxBackoff ?? TimeSpan.FromSeconds(30), randomFactor: 0.2, maxNrOfRetries: -1));

    public override string PersistenceId => _settings.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _startedAt = Context.System.Scheduler.Now;
        base.PreStart();
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _poller.Dispose();
        _stopping.Dispose();
        base.PostStop();
    }

    private void StartPoll()
    {
        if (_poll is not null)
        {
            return;
        }
        var poll = _poll = new object();
        Timers.Cancel(PollTimer);
        _poller.PollAsync(_checkpoint, _stopping.Token)
            .PipeTo(Self, success: outcome => new PollCompleted(poll, outcome), failure: ex => new PollCompleted(poll, new PollFailed(ex)));
    }

    private void OnPolled(PollOutcome outcome)
    {
        switch (outcome)
        {
            case PollAdvanced advanced:
                OnAdvanced(advanced);
                break;
            case PollIdle:
                Succeeded();
                BecameCurrent();
                SchedulePoll(_settings.PollInterval);
                break;
            case PollReorganized reorganized:
                OnReorganized(reorganized);
                break;
            case PollFailed failed:
                OnFailed(failed.Cause);
                break;
        }
    }

    private void OnAdvanced(PollAdvanced advanced)
    {
        Succeeded();
        Persist(advanced.Checkpoint, checkpoint =>
        {
            _checkpoint = checkpoint;
            foreach (var e in advanced.Events)
            {
                Deliver(e);
            }
            if (advanced.CaughtUp)
            {
                BecameCurrent();
            }
            MaybeSnapshot();
            // Still behind: read the next range at once.
            SchedulePoll(advanced.CaughtUp ? _settings.PollInterval : TimeSpan.Zero);
        });
    }

    private void OnReorganized(PollReorganized reorganized)
    {
        Succeeded();
        _log.Warning("chain watcher {0}: block {1} was replaced; re-reading after block {2}", PersistenceId, reorganized.OrphanedToBlock, reorganized.Checkpoint.Block);
        Persist(reorganized.Checkpoint, checkpoint =>
        {
            _checkpoint = checkpoint;
            Deliver(new ChainReorganized(checkpoint.Block, reorganized.OrphanedToBlock));
            MaybeSnapshot();
            SchedulePoll(TimeSpan.Zero);
        });
    }

    private void OnFailed(Exception cause)
    {
        _failures++;
        _lastError = cause.Message;
        var backoff = TimeSpan.FromTicks(Math.Min(_settings.MaxBackoff.Ticks, _settings.MinBackoff.Ticks * (1L << Math.Min(_failures - 1, 20))));
        _log.Warning("chain watcher {0}: poll {1} failed ({2}); retrying in {3}", PersistenceId, _failures, cause.Message, backoff);
        Timers.StartSingleTimer(PollTimer, PollChainNow.Instance, backoff);
    }

    private void Succeeded()
    {
        _failures = 0;
        _lastError = null;
        _lastSuccessAt = Context.System.Scheduler.Now;
        Timers.StartSingleTimer(StaleTimer, StaleDeadline.Instance, _settings.StaleAfter);
    }

    private void BecameCurrent()
    {
        if (!_fresh)
        {
            _fresh = true;
            _stale = false;
            Deliver(new ChainViewFresh(_checkpoint.Block));
        }
    }

    private void MarkStale()
    {
        if (_stale)
        {
            return;
        }
        _stale = true;
        _fresh = false;
        var since = _lastSuccessAt ?? _startedAt;
        _log.Warning("chain watcher {0}: no answer from {1} since {2}; the chain view is stale", PersistenceId, _settings.RpcUrl, since);
        Deliver(new ChainViewStale(since, _lastError ?? "the node has not answered in time"));
    }

    private void SchedulePoll(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Timers.Cancel(PollTimer);
            Self.Tell(PollChainNow.Instance);
        }
        else
        {
            Timers.StartSingleTimer(PollTimer, PollChainNow.Instance, delay);
        }
    }

    private void MaybeSnapshot()
    {
        if (++_checkpointsSinceSnapshot >= _settings.SnapshotEvery)
        {
            _checkpointsSinceSnapshot = 0;
            SaveSnapshot(_checkpoint);
        }
    }

    private void Deliver(IChainWatcherEvent e)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(e);
        }
        Context.System.EventStream.Publish(e);
    }

    private sealed record PollCompleted(object Poll, PollOutcome Outcome);

    private sealed record StaleDeadline
    {
        public static readonly StaleDeadline Instance = new();
    }
}
