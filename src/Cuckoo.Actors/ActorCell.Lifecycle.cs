using Microsoft.Extensions.Logging;

namespace Cuckoo.Actors;

internal enum CellState
{
    New,
    Running,
    Recreating,
    Terminating,
    Terminated,
}

/// <summary>Creation, failure, restart and termination of the actor instance.</summary>
internal sealed partial class ActorCell
{
    private volatile CellState _state = CellState.New;
    private ActorBase? _actor;
    private Stack<Action<object>>? _behaviors;

    private bool _failed;
    private object? _failedMessage;
    private int _suspendCount;
    private int _childSuspensions;
    private LocalActorRef? _perpetrator;
    private Exception? _recreateCause;

    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the actor has stopped and its watchers and parent were told.</summary>
    public Task WhenTerminated => _terminated.Task;

    private ActorBase NewActor()
    {
        var previous = t_constructing;
        t_constructing = this;
        try
        {
            var actor = Props.Factory();
            if (!ReferenceEquals(actor.Cell, this))
            {
                throw new ActorInitializationException(Self, $"The props factory of {Self} returned an actor that was not created by it");
            }
            return actor;
        }
        finally
        {
            t_constructing = previous;
        }
    }

    private void HandleCreate()
    {
        if (_state != CellState.New) return;
        _state = CellState.Running;
        try
        {
            _actor = NewActor();
            _actor.InvokePreStart();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(Self, $"Creating {Self} failed: {e.Message}", e), null);
        }
    }

    /// <summary>The actor threw: suspend it and its children and ask the parent for a verdict.</summary>
    private void HandleInvokeFailure(Exception cause, object? message)
    {
        if (_state >= CellState.Terminating)
        {
            System.Log.LogWarning(cause, "{Actor} failed while stopping", Self);
            return;
        }
        if (_failed)
        {
            System.Log.LogWarning(cause, "{Actor} failed again while waiting for its supervisor", Self);
            return;
        }
        _failed = true;
        _failedMessage = message;
        _perpetrator = null;
        ForwardToChildren(Suspend.Instance);
        _childSuspensions++;
        if (Parent is null)
        {
            System.Log.LogCritical(cause, "The root guardian failed; stopping it");
            HandleTerminate();
            return;
        }
        Parent.SendSystemMessage(new Failed(Self, cause));
    }

    private void HandleSuspend()
    {
        _suspendCount++;
        ForwardToChildren(Suspend.Instance);
        _childSuspensions++;
    }

    private void HandleResume(bool clearsFailure)
    {
        if (_state >= CellState.Terminating) return;
        if (!clearsFailure)
        {
            if (_suspendCount > 0) _suspendCount--;
            ResumeChildren(once: true, clearPerpetrator: false);
            return;
        }
        if (!_failed) return;
        if (_actor is null)
        {
            // Nothing to resume: the instance was never built. Build a fresh one instead.
            HandleRecreate(new ActorInitializationException(Self, "Resumed an actor whose creation failed"), false);
            return;
        }
        _failed = false;
        _failedMessage = null;
        ResumeChildren(once: true, clearPerpetrator: true);
    }

    private void ResumeChildren(bool once, bool clearPerpetrator)
    {
        var count = once ? Math.Min(_childSuspensions, 1) : _childSuspensions;
        _childSuspensions -= count;
        var perpetrator = clearPerpetrator ? _perpetrator : null;
        if (clearPerpetrator) _perpetrator = null;
        foreach (var child in LiveChildren())
        {
            for (var i = 0; i < count; i++) child.SendSystemMessage(new Resume(false));
            if (child.Equals(perpetrator)) child.SendSystemMessage(new Resume(true));
        }
    }

    private void HandleRecreate(Exception cause, bool undoesSuspend)
    {
        if (_state >= CellState.Terminating) return;
        if (undoesSuspend && _suspendCount > 0) _suspendCount--;
        var failedActor = _actor;
        if (failedActor is not null)
        {
            try
            {
                failedActor.InvokePreRestart(cause, _failedMessage);
            }
            catch (Exception e)
            {
                System.Log.LogError(e, "PreRestart of {Actor} threw; restarting anyway", Self);
            }
        }
        _actor = null;
        _timers?.CancelAll();
        SetReceiveTimeout(null);
        _behaviors?.Clear();
        UnstashAll();
        if (HasStoppingChildren())
        {
            _state = CellState.Recreating;
            _recreateCause = cause;
            return;
        }
        FinishRecreate(cause);
    }

    private void FinishRecreate(Exception cause)
    {
        _state = CellState.Running;
        _recreateCause = null;
        _failed = false;
        _failedMessage = null;
        ResumeChildren(once: false, clearPerpetrator: true);
        try
        {
            _actor = NewActor();
            _actor.InvokePostRestart(cause);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(Self, $"Restarting {Self} failed: {e.Message}", e), null);
        }
    }

    private void HandleTerminate()
    {
        if (_state >= CellState.Terminating) return;
        _state = CellState.Terminating;
        _timers?.CancelAll();
        SetReceiveTimeout(null);
        if (!StopAllChildren()) FinishTerminate();
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        if (actor is not null)
        {
            try
            {
                actor.InvokePostStop();
            }
            catch (Exception e)
            {
                System.Log.LogError(e, "PostStop of {Actor} threw", Self);
            }
        }
        _state = CellState.Terminated;
        _actor = null;
        _behaviors = null;
        _timers?.CancelAll();

        if (_stash is not null)
        {
            foreach (var envelope in _stash) ToDeadLetters(envelope);
            _stash = null;
        }
        if (_prepended is not null)
        {
            foreach (var envelope in _prepended) ToDeadLetters(envelope);
            _prepended = null;
        }
        _writer.TryComplete();
        while (_reader.TryRead(out var envelope)) ToDeadLetters(envelope);

        List<SystemMessage> leftovers;
        lock (_sysLock)
        {
            _sysClosed = true;
            leftovers = [.. _sysQueue];
            _sysQueue.Clear();
            _sysPending = false;
        }
        foreach (var message in leftovers) HandleAfterTermination(message);

        foreach (var watcher in _watchedBy) watcher.SendSystemMessage(new DeathWatchNotification(Self));
        _watchedBy.Clear();
        foreach (var watchee in _watching)
        {
            if (watchee is IInternalActorRef target) target.SendSystemMessage(new Unwatch(target, Self));
        }
        _watching.Clear();

        Parent?.SendSystemMessage(new ChildTerminated(Self));
        _terminated.TrySetResult();
    }
}
