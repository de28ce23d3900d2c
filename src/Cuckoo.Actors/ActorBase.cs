using Microsoft.Extensions.Logging;

namespace Cuckoo.Actors;

/// <summary>
/// Base of all actors. An actor processes one message at a time, so its private fields need no locks.
/// Create actors only through <see cref="Props"/>; the kernel constructs them on their own turn.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;
    private ILogger? _log;

    protected ActorBase()
    {
        _cell = ActorCell.Constructing
            ?? throw new ActorInitializationException(null, $"{GetType().Name} must be created by the actor system from Props, not with new");
    }

    protected IActorContext Context => _cell;

    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the message being processed; null when it was sent without one.</summary>
    protected IActorRef? Sender => _cell.Sender;

    protected ITimerScheduler Timers => _cell.Timers;

    protected IStash Stash => _cell;

    /// <summary>A logger named after the actor's type.</summary>
    protected ILogger Log => _log ??= _cell.System.LoggerFactory.CreateLogger(GetType());

    internal ActorCell Cell => _cell;

    protected abstract void OnReceive(object message);

    internal void ReceiveMessage(object message) => OnReceive(message);

    protected virtual void PreStart()
    {
    }

    protected virtual void PostStop()
    {
    }

    /// <summary>Runs on the failed instance before it is replaced; by default stops all children and calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart; by default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children, unless its props set a strategy.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;

    /// <summary>
    /// Marks a message as not handled: it is published as <see cref="UnhandledMessage"/>; an unhandled
    /// <see cref="Terminated"/> fails the actor with <see cref="DeathPactException"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated) throw new DeathPactException(terminated.ActorRef);
        _cell.System.EventStream.Publish(new UnhandledMessage(message, Sender, Self));
    }

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();

    internal void InvokeUnhandled(object message) => Unhandled(message);
}
