namespace Cuckoo.Actors;

/// <summary>Kernel-internal messages; they bypass the user queue and are processed ahead of user messages.</summary>
internal abstract class SystemMessage
{
}

internal sealed class Create : SystemMessage
{
    public static readonly Create Instance = new();
}

internal sealed class Terminate : SystemMessage
{
    public static readonly Terminate Instance = new();
}

/// <summary>Pause user messages (a parent or sibling failed); counted, undone by <see cref="Resume"/>.</summary>
internal sealed class Suspend : SystemMessage
{
    public static readonly Suspend Instance = new();
}

/// <summary>Undo one <see cref="Suspend"/>, or (ClearsFailure) end the wait for the supervisor's verdict.</summary>
internal sealed class Resume(bool clearsFailure) : SystemMessage
{
    public bool ClearsFailure { get; } = clearsFailure;
}

/// <summary>Restart with a fresh instance; UndoesSuspend when the parent suspended the actor first (all-for-one siblings).</summary>
internal sealed class Recreate(Exception cause, bool undoesSuspend = false) : SystemMessage
{
    public Exception Cause { get; } = cause;

    public bool UndoesSuspend { get; } = undoesSuspend;
}

internal sealed class Failed(LocalActorRef child, Exception cause) : SystemMessage
{
    public LocalActorRef Child { get; } = child;

    public Exception Cause { get; } = cause;
}

internal sealed class Watch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;

    public IInternalActorRef Watcher { get; } = watcher;
}

internal sealed class Unwatch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;

    public IInternalActorRef Watcher { get; } = watcher;
}

internal sealed class DeathWatchNotification(IActorRef actor) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
}

internal sealed class ChildTerminated(LocalActorRef child) : SystemMessage
{
    public LocalActorRef Child { get; } = child;
}

/// <summary>A continuation of an async handler, run on the actor's turn.</summary>
internal sealed class RunContinuation(SendOrPostCallback callback, object? state) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;

    public object? State { get; } = state;
}

internal sealed class AsyncHandlerCompleted(Task task) : SystemMessage
{
    public Task Task { get; } = task;
}

/// <summary>Wraps a Terminated that DeathWatch queued, so that an Unwatch in between can drop it.</summary>
internal sealed record WatchedTerminated(Terminated Terminated);
