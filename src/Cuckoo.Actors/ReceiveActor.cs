namespace Cuckoo.Actors;

/// <summary>An actor that declares typed handlers (<see cref="Receive{T}(Action{T})"/>) instead of overriding OnReceive.</summary>
public abstract class ReceiveActor : ActorBase
{
    private List<Handler> _handlers = [];
    private Handler[] _frozen = [];

    protected void Receive<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new SyncHandler<T>(null, handler));
    }

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new SyncHandler<T>(shouldHandle, handler));
    }

    /// <summary>
    /// An asynchronous handler: no further user message is processed until the task completes, and continuations after
    /// <c>await</c> run on the actor's turn. A fault goes to the supervisor like a synchronous exception.
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new AsyncHandler<T>(null, handler, this));
    }

    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new AsyncHandler<T>(shouldHandle, handler, this));
    }

    protected void ReceiveAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new SyncHandler<object>(null, handler));
    }

    /// <summary>Replaces the behaviour with the handlers that <paramref name="configure"/> declares (with Receive calls).</summary>
    protected void Become(Action configure) => Context.Become(Build(configure));

    /// <summary>Like <see cref="Become(Action)"/>, keeping the current behaviour for <see cref="IActorContext.Unbecome"/>.</summary>
    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Build(configure));

    protected sealed override void OnReceive(object message)
    {
        if (!Dispatch(_frozen.Length == _handlers.Count ? _frozen : Freeze(), message)) Unhandled(message);
    }

    private Action<object> Build(Action configure)
    {
        var saved = _handlers;
        var savedFrozen = _frozen;
        _handlers = [];
        try
        {
            configure();
            var handlers = _handlers.ToArray();
            return message =>
            {
                if (!Dispatch(handlers, message)) Unhandled(message);
            };
        }
        finally
        {
            _handlers = saved;
            _frozen = savedFrozen;
        }
    }

    private Handler[] Freeze() => _frozen = _handlers.ToArray();

    private static bool Dispatch(Handler[] handlers, object message)
    {
        foreach (var handler in handlers)
        {
            if (handler.TryHandle(message)) return true;
        }
        return false;
    }

    private void Add(Handler handler) => _handlers.Add(handler);

    private abstract class Handler
    {
        public abstract bool TryHandle(object message);
    }

    private sealed class SyncHandler<T>(Predicate<T>? predicate, Action<T> action) : Handler
    {
        public override bool TryHandle(object message)
        {
            if (message is not T typed || (predicate is not null && !predicate(typed))) return false;
            action(typed);
            return true;
        }
    }

    private sealed class AsyncHandler<T>(Predicate<T>? predicate, Func<T, Task> action, ReceiveActor owner) : Handler
    {
        public override bool TryHandle(object message)
        {
            if (message is not T typed || (predicate is not null && !predicate(typed))) return false;
            owner.Cell.RunAsyncHandler(() => action(typed));
            return true;
        }
    }
}
