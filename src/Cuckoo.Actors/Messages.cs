namespace Cuckoo.Actors;

/// <summary>Delivered to a watcher once the watched actor has stopped (also when it was already dead at Watch).</summary>
public sealed record Terminated(IActorRef ActorRef);

/// <summary>Stops the actor when it is processed, after the messages enqueued before it.</summary>
public sealed class PoisonPill
{
    public static readonly PoisonPill Instance = new();

    private PoisonPill()
    {
    }

    public override string ToString() => "PoisonPill";
}

/// <summary>Makes the actor fail with <see cref="ActorKilledException"/> when processed; the default strategy stops it.</summary>
public sealed class Kill
{
    public static readonly Kill Instance = new();

    private Kill()
    {
    }

    public override string ToString() => "Kill";
}

/// <summary>Sent to an actor that has received nothing for the time set with <see cref="IActorContext.SetReceiveTimeout"/>.</summary>
public sealed class ReceiveTimeout
{
    public static readonly ReceiveTimeout Instance = new();

    private ReceiveTimeout()
    {
    }

    public override string ToString() => "ReceiveTimeout";
}

/// <summary>Replies that carry an outcome; a <see cref="Failure"/> reply faults an Ask.</summary>
public static class Status
{
    public sealed record Success(object? Value);

    public sealed record Failure(Exception Cause);
}

/// <summary>A message that could not be delivered, published on the event stream and logged.</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>A message that the receiving actor did not handle, published on the event stream.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>Published when a supervisor schedules a child's restart after a backoff delay.</summary>
public sealed record RestartScheduled(IActorRef Child, TimeSpan Delay, Exception Cause);
