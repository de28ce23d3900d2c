using Cuckoo.Actors;
using Cuckoo.Chain;
using Cuckoo.Persistence;
using Microsoft.Extensions.Logging;

namespace Cuckoo.ChainWatcher;

/// <summary>
/// Polls the node for the staking contract's logs, delivers them as <see cref="IChainEvent"/> messages to its
/// subscribers and the event stream once they have enough confirmations, and journals the checkpoint after each
/// poll that advanced it. Events are delivered in the persist handler, i.e. only after the checkpoint that covers
/// them is durable, so a restart resumes after the last delivered block: no gaps, no repeats (a crash in the
/// instant between commit and delivery loses that batch for in-process subscribers, which die with the process).
/// </summary>
public sealed class ChainWatcher : PersistentActor
{
    private static readonly object PollTimer = "poll";
    private static readonly object StaleTimer = "stale";

    private readonly ChainWatcherSettings _settings;
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly CancellationTokenSource _stopping = new();
    private ChainClient? _client;
    private ChainPoller? _poller;
    private ChainCheckpoint _checkpoint;
    private object? _poll;
    private bool _fresh;
    private bool _stale;
    private int _failures;
    private string? _lastError;
    private DateTimeOffset _startedAt;
    private DateTimeOffset? _lastSuccessAt;
    private int _checkpointsSinceSnapshot;

    private ChainWatcher(ChainWatcherSettings settings)
    {
        _settings = settings;
        _checkpoint = ChainCheckpoint.Initial(settings.StartBlock);
    }

    /// <summary>Props for the watcher; the system must have persistence configured (<c>UsePersistence</c>).</summary>
    public static Props Props(ChainWatcherSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return Actors.Props.Create(() => new ChainWatcher(settings));
    }

    public override string PersistenceId => _settings.PersistenceId;

    protected override void OnPreStart()
    {
        _startedAt = Context.System.Time.GetUtcNow();
        // No client retries: the watcher backs off itself and must notice an outage to mark its view stale.
        _client = new ChainClient(_settings.RpcUrl, new ChainClientOptions { MaxRetries = 0, RequestTimeout = _settings.RequestTimeout, Time = Context.System.Time });
        _poller = new ChainPoller(_client, _settings);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _client?.Dispose();
        _stopping.Dispose();
    }

    protected override void ReceiveRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: ChainCheckpoint snapshot }:
                _checkpoint = snapshot;
                break;
            case ChainCheckpoint checkpoint:
                _checkpoint = checkpoint;
                break;
            case RecoveryCompleted:
                Log.LogInformation("chain watcher {Id} resumes after block {Block}", PersistenceId, _checkpoint.Block);
                Timers.StartSingleTimer(StaleTimer, StaleDeadline.Instance, _settings.StaleAfter);
                Self.Tell(PollChainNow.Instance);
                break;
        }
    }

    protected override void ReceiveCommand(object message)
    {
        switch (message)
        {
            case PollChainNow:
                StartPoll();
                break;
            case PollCompleted completed when completed.Poll == _poll:
                _poll = null;
                OnPolled(completed.Outcome);
                break;
            case PollCompleted:
                break; // a poll of a previous incarnation, read from a checkpoint that may be stale
            case StaleDeadline:
                MarkStale();
                break;
            case SubscribeChainEvents subscribe:
                _subscribers.Add(subscribe.Subscriber);
                Context.Watch(subscribe.Subscriber);
                Sender?.Tell(new ChainEventsSubscribed(subscribe.Subscriber, _checkpoint.Block), Self);
                break;
            case UnsubscribeChainEvents unsubscribe:
                _subscribers.Remove(unsubscribe.Subscriber);
                Context.Unwatch(unsubscribe.Subscriber);
                Sender?.Tell(new ChainEventsUnsubscribed(unsubscribe.Subscriber), Self);
                break;
            case Terminated terminated:
                _subscribers.Remove(terminated.ActorRef);
                break;
            case GetChainWatcherStatus:
                Sender?.Tell(new ChainWatcherStatus(_checkpoint.Block, _checkpoint.Hash, _fresh, _stale, _lastSuccessAt, _failures, _subscribers.Count), Self);
                break;
            case SaveSnapshotSuccess saved:
                DeleteMessages(saved.Metadata.SequenceNr);
                break;
            case SaveSnapshotFailure failure:
                Log.LogWarning(failure.Cause, "chain watcher {Id} could not save a snapshot; the journal still has every checkpoint", PersistenceId);
                break;
            case DeleteMessagesSuccess or DeleteMessagesFailure:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void StartPoll()
    {
        if (_poll is not null)
        {
            return;
        }
        var poll = _poll = new object();
        Timers.Cancel(PollTimer);
        _poller!.PollAsync(_checkpoint, _stopping.Token).PipeTo(Self, success: outcome => new PollCompleted(poll, outcome));
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
        Log.LogWarning("chain watcher {Id}: block {Block} was replaced; re-reading after block {Fork}", PersistenceId, reorganized.OrphanedToBlock, reorganized.Checkpoint.Block);
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
        Log.LogWarning("chain watcher {Id}: poll {Failures} failed ({Error}); retrying in {Backoff}", PersistenceId, _failures, cause.Message, backoff);
        Timers.StartSingleTimer(PollTimer, PollChainNow.Instance, backoff);
    }

    private void Succeeded()
    {
        _failures = 0;
        _lastError = null;
        _lastSuccessAt = Context.System.Time.GetUtcNow();
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
        Log.LogWarning("chain watcher {Id}: no answer from {Url} since {Since}; the chain view is stale", PersistenceId, _settings.RpcUrl, since);
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
            subscriber.Tell(e, Self);
        }
        Context.System.EventStream.Publish(e);
    }

    private sealed record PollCompleted(object Poll, PollOutcome Outcome);

    private sealed record StaleDeadline
    {
        public static readonly StaleDeadline Instance = new();
    }
}
