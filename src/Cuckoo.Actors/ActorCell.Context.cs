namespace Cuckoo.Actors;

/// <summary>DeathWatch, behaviours, stash, timers and receive timeout.</summary>
internal sealed partial class ActorCell
{
    private readonly HashSet<IActorRef> _watching = [];
    private readonly HashSet<IInternalActorRef> _watchedBy = [];
    private LinkedList<Envelope>? _stash;
    private TimerScheduler? _timers;
    private TimeSpan? _receiveTimeout;
    private long _receiveTimeoutGeneration;
    private ITimer? _receiveTimeoutTimer;

    public ITimerScheduler Timers => _timers ??= new TimerScheduler(this);

    public IActorRef Watch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Equals(Self)) return actor;
        if (!_watching.Add(actor)) return actor;
        if (actor is IInternalActorRef target) target.SendSystemMessage(new Watch(target, Self));
        else HandleDeathWatchNotification(actor);
        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_watching.Remove(actor) && actor is IInternalActorRef target) target.SendSystemMessage(new Unwatch(target, Self));
        return actor;
    }

    private void HandleWatch(Watch watch)
    {
        if (watch.Watchee.Equals(Self) && !watch.Watcher.Equals(Self)) _watchedBy.Add(watch.Watcher);
    }

    private void HandleUnwatch(Unwatch unwatch)
    {
        if (unwatch.Watchee.Equals(Self)) _watchedBy.Remove(unwatch.Watcher);
    }

    /// <summary>The watched actor stopped: queue Terminated behind the messages it sent before (it stays watched until then).</summary>
    private void HandleDeathWatchNotification(IActorRef actor)
    {
        if (_state >= CellState.Terminating || !_watching.Contains(actor)) return;
        Post(new WatchedTerminated(new Terminated(actor)), actor);
    }

    public void Become(Action<object> receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behaviors ??= new Stack<Action<object>>();
        if (_behaviors.Count > 0) _behaviors.Pop();
        _behaviors.Push(receive);
    }

    public void BecomeStacked(Action<object> receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behaviors ??= new Stack<Action<object>>();
        _behaviors.Push(receive);
    }

    public void Unbecome()
    {
        if (_behaviors is { Count: > 0 }) _behaviors.Pop();
    }

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Receive timeout must be positive");
        _receiveTimeout = timeout;
        RescheduleReceiveTimeout();
    }

    private void RescheduleReceiveTimeout()
    {
        _receiveTimeoutTimer?.Dispose();
        _receiveTimeoutTimer = null;
        var generation = ++_receiveTimeoutGeneration;
        if (_receiveTimeout is not { } timeout) return;
        _receiveTimeoutTimer = System.Time.CreateTimer(
            static state =>
            {
                var (cell, gen) = ((ActorCell, long))state!;
                cell.Post(new ReceiveTimeoutTick(gen), null);
            },
            (this, generation),
            timeout,
            Timeout.InfiniteTimeSpan);
    }

    public ActorSelection ActorSelection(string path) => Actors.ActorSelection.Parse(System, this, path);

    public void Stash()
    {
        if (_currentMessage is null) throw new InvalidOperationException("Stash() is only valid while processing a message");
        _stash ??= new LinkedList<Envelope>();
        _stash.AddLast(new Envelope(_currentMessage, _currentSender));
    }

    public void Unstash()
    {
        if (_stash is not { Count: > 0 } stash) return;
        var first = stash.First!.Value;
        stash.RemoveFirst();
        (_prepended ??= new LinkedList<Envelope>()).AddFirst(first);
    }

    public void UnstashAll()
    {
        if (_stash is not { Count: > 0 } stash) return;
        _prepended ??= new LinkedList<Envelope>();
        for (var node = stash.Last; node is not null; node = node.Previous) _prepended.AddFirst(node.Value);
        stash.Clear();
    }

    public void ClearStash() => _stash?.Clear();

    int IStash.Count => _stash?.Count ?? 0;
}

/// <summary>A receive-timeout firing; stale generations (a message arrived meanwhile) are dropped.</summary>
internal sealed record ReceiveTimeoutTick(long Generation);
