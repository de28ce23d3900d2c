using Microsoft.Extensions.Logging;

namespace Cuckoo.Actors;

/// <summary>Children and their supervision.</summary>
internal sealed partial class ActorCell
{
    // Guarded by itself: system.ActorOf and ActorSelection reach the container from other threads.
    private readonly Dictionary<string, ChildRestartStats> _children = new(StringComparer.Ordinal);
    private long _nextChildName;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null) name = "$" + NameFor(Interlocked.Increment(ref _nextChildName));
        else if (!IsValidName(name))
        {
            throw new InvalidActorNameException($"Invalid actor name [{name}]: use letters, digits and -_.:@&=+,!~;' and do not start with $");
        }
        ActorCell child;
        lock (_children)
        {
            if (_state >= CellState.Terminating)
            {
                throw new InvalidOperationException($"{Self} is stopping and cannot create the child [{name}]");
            }
            if (_children.ContainsKey(name))
            {
                throw new InvalidActorNameException($"Actor name [{name}] is not unique among the children of {Self.Path}");
            }
            child = new ActorCell(System, props, this, Self.Path.Child(name, NewUid()));
            _children.Add(name, new ChildRestartStats(child.Self));
        }
        child.SendSystemMessage(Create.Instance);
        return child.Self;
    }

    public IActorRef? Child(string name)
    {
        lock (_children)
        {
            return _children.TryGetValue(name, out var stats) && !stats.Stopping ? stats.Child : null;
        }
    }

    internal LocalActorRef? ChildForSelection(string name)
    {
        lock (_children)
        {
            return _children.TryGetValue(name, out var stats) && !stats.Child.IsTerminated ? stats.Child : null;
        }
    }

    public IReadOnlyCollection<IActorRef> Children => LiveChildren();

    internal List<LocalActorRef> LiveChildren()
    {
        lock (_children)
        {
            var list = new List<LocalActorRef>(_children.Count);
            foreach (var stats in _children.Values)
            {
                if (!stats.Stopping) list.Add(stats.Child);
            }
            return list;
        }
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is LocalActorRef local && ReferenceEquals(local.Cell.Parent, this))
        {
            lock (_children)
            {
                if (_children.TryGetValue(local.Path.Name, out var stats) && stats.Child.Equals(local))
                {
                    stats.Stopping = true;
                    stats.CancelPendingRestart();
                }
            }
        }
        if (actor is IInternalActorRef target) target.SendSystemMessage(Terminate.Instance);
    }

    /// <summary>Stops every child; false when there were none to wait for.</summary>
    private bool StopAllChildren()
    {
        List<LocalActorRef> toStop;
        lock (_children)
        {
            if (_children.Count == 0) return false;
            toStop = [];
            foreach (var stats in _children.Values)
            {
                stats.CancelPendingRestart();
                if (!stats.Stopping)
                {
                    stats.Stopping = true;
                    toStop.Add(stats.Child);
                }
            }
        }
        foreach (var child in toStop) child.SendSystemMessage(Terminate.Instance);
        return true;
    }

    private bool HasStoppingChildren()
    {
        lock (_children)
        {
            foreach (var stats in _children.Values)
            {
                if (stats.Stopping) return true;
            }
            return false;
        }
    }

    private void ForwardToChildren(SystemMessage message)
    {
        foreach (var child in LiveChildren()) child.SendSystemMessage(message);
    }

    private void HandleChildTerminated(LocalActorRef child)
    {
        int remaining;
        lock (_children)
        {
            if (_children.TryGetValue(child.Path.Name, out var stats) && stats.Child.Equals(child))
            {
                stats.CancelPendingRestart();
                _children.Remove(child.Path.Name);
            }
            remaining = _children.Count;
        }
        if (_watching.Contains(child)) HandleDeathWatchNotification(child);
        if (Parent is null) System.OnGuardianTerminated(child);
        if (_state == CellState.Terminating && remaining == 0) FinishTerminate();
        else if (_state == CellState.Recreating && !HasStoppingChildren()) FinishRecreate(_recreateCause!);
    }

    private SupervisorStrategy StrategyForChildren()
    {
        if (Props.SupervisorStrategy is { } fromProps) return fromProps;
        try
        {
            return _actor?.InvokeSupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        }
        catch (Exception e)
        {
            System.Log.LogError(e, "SupervisorStrategy() of {Actor} threw; using the default strategy", Self);
            return SupervisorStrategy.DefaultStrategy;
        }
    }

    private void HandleChildFailed(LocalActorRef child, Exception cause)
    {
        ChildRestartStats? stats;
        lock (_children)
        {
            if (!_children.TryGetValue(child.Path.Name, out stats) || !stats.Child.Equals(child) || stats.Stopping) return;
        }
        var strategy = StrategyForChildren();
        var directive = strategy.Decide(cause);
        switch (directive)
        {
            case Directive.Resume:
                System.Log.LogWarning(cause, "{Child} failed and is resumed: {Message}", child, cause.Message);
                child.SendSystemMessage(new Resume(true));
                break;
            case Directive.Restart:
                if (strategy.AppliesToAllChildren) RestartAllChildren(stats, cause, strategy);
                else RestartChild(stats, cause, strategy);
                break;
            case Directive.Stop:
                System.Log.LogError(cause, "{Child} failed and is stopped: {Message}", child, cause.Message);
                if (strategy.AppliesToAllChildren) StopAllChildrenOf();
                else Stop(child);
                break;
            default:
                HandleInvokeFailure(cause, _currentMessage);
                _perpetrator = child;
                break;
        }
    }

    private void StopAllChildrenOf()
    {
        foreach (var sibling in LiveChildren()) Stop(sibling);
    }

    private void RestartChild(ChildRestartStats stats, Exception cause, SupervisorStrategy strategy)
    {
        if (!stats.RequestRestartPermission(strategy.MaxNrOfRetries, strategy.WithinTimeRange, System.Time.GetUtcNow()))
        {
            System.Log.LogError(cause, "{Child} failed more than {Max} times within {Window} and is stopped", stats.Child, strategy.MaxNrOfRetries, strategy.WithinTimeRange);
            Stop(stats.Child);
            return;
        }
        System.Log.LogError(cause, "{Child} failed and is restarted: {Message}", stats.Child, cause.Message);
        ScheduleRecreate(stats, new Recreate(cause), strategy.Backoff, cause);
    }

    private void RestartAllChildren(ChildRestartStats failed, Exception cause, SupervisorStrategy strategy)
    {
        List<ChildRestartStats> all;
        lock (_children)
        {
            all = [.. _children.Values.Where(s => !s.Stopping)];
        }
        var now = System.Time.GetUtcNow();
        var permitted = true;
        foreach (var stats in all)
        {
            permitted &= stats.RequestRestartPermission(strategy.MaxNrOfRetries, strategy.WithinTimeRange, now);
        }
        if (!permitted)
        {
            System.Log.LogError(cause, "{Child} failed more than {Max} times within {Window}; all its siblings are stopped", failed.Child, strategy.MaxNrOfRetries, strategy.WithinTimeRange);
            foreach (var stats in all) Stop(stats.Child);
            return;
        }
        System.Log.LogError(cause, "{Child} failed; it and all its siblings are restarted: {Message}", failed.Child, cause.Message);
        foreach (var stats in all)
        {
            var isFailed = ReferenceEquals(stats, failed);
            if (!isFailed) stats.Child.SendSystemMessage(Suspend.Instance);
            ScheduleRecreate(stats, new Recreate(cause, undoesSuspend: !isFailed), strategy.Backoff, cause);
        }
    }

    private void ScheduleRecreate(ChildRestartStats stats, Recreate recreate, BackoffOptions? backoff, Exception cause)
    {
        stats.CancelPendingRestart();
        if (backoff is null)
        {
            stats.Child.SendSystemMessage(recreate);
            return;
        }
        var delay = backoff.DelayFor(stats.RestartCount);
        var child = stats.Child;
        stats.PendingRestart = System.Time.CreateTimer(
            static state =>
            {
                var (target, message) = ((LocalActorRef, Recreate))state!;
                target.SendSystemMessage(message);
            },
            (child, recreate),
            delay,
            Timeout.InfiniteTimeSpan);
        // Published once the timer runs, so that whoever reacts to it (a test advancing a fake clock) finds it armed.
        System.EventStream.Publish(new RestartScheduled(child, delay, cause));
    }

    private static long NewUid()
    {
        long uid;
        do
        {
            uid = Random.Shared.NextInt64();
        }
        while (uid == 0);
        return uid;
    }

    private static string NameFor(long n)
    {
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        do
        {
            buffer[--i] = (char)('a' + (int)(n % 26));
            n /= 26;
        }
        while (n > 0);
        return new string(buffer[i..]);
    }

    internal static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || name[0] == '$') return false;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || "-_.:@&=+,!~;'".Contains(c)) continue;
            return false;
        }
        return true;
    }
}
