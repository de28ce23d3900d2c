namespace Cuckoo.Actors;

/// <summary>Base of the kernel's exceptions.</summary>
public class ActorException : Exception
{
    public ActorException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>The actor's constructor or <c>PreStart</c>/<c>PostRestart</c> threw; the default strategy stops it.</summary>
public sealed class ActorInitializationException : ActorException
{
    public ActorInitializationException(IActorRef? actor, string message, Exception? inner = null) : base(message, inner) => Actor = actor;

    public IActorRef? Actor { get; }
}

/// <summary>Raised inside an actor that processed <see cref="Kill"/>.</summary>
public sealed class ActorKilledException : ActorException
{
    public ActorKilledException(string message) : base(message)
    {
    }
}

/// <summary>An actor did not handle the <see cref="Terminated"/> of an actor it watched.</summary>
public sealed class DeathPactException : ActorException
{
    public DeathPactException(IActorRef dead) : base($"Monitored actor {dead} terminated and the watcher did not handle Terminated") => DeadActor = dead;

    public IActorRef DeadActor { get; }
}

/// <summary>An actor name that is malformed or already taken among its siblings.</summary>
public sealed class InvalidActorNameException : ActorException
{
    public InvalidActorNameException(string message) : base(message)
    {
    }
}

/// <summary>An <see cref="ActorSelection"/> matched no live actor.</summary>
public sealed class ActorNotFoundException : ActorException
{
    public ActorNotFoundException(string message) : base(message)
    {
    }
}

/// <summary>An Ask got no reply within its timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    public AskTimeoutException(string message) : base(message)
    {
    }
}

/// <summary>Thrown by <c>Tell</c> into a full bounded mailbox whose policy is <see cref="MailboxOverflow.Fail"/>.</summary>
public sealed class MailboxOverflowException : ActorException
{
    public MailboxOverflowException(IActorRef recipient, int capacity)
        : base($"Mailbox of {recipient} is full ({capacity} messages)") => Recipient = recipient;

    public IActorRef Recipient { get; }
}
