namespace Cuckoo.Actors;

/// <summary>One message as queued in a mailbox; a struct so that Tell allocates nothing besides the message.</summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);

/// <summary>The ref of an actor in this process.</summary>
internal sealed class LocalActorRef : ActorRefBase
{
    public LocalActorRef(ActorCell cell, ActorPath path)
    {
        Cell = cell;
        Path = path;
    }

    internal ActorCell Cell { get; }

    public override ActorPath Path { get; }

    public override ActorSystem System => Cell.System;

    public override bool IsTerminated => Cell.IsTerminated;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(message, sender);
    }

    public override void SendSystemMessage(SystemMessage message) => Cell.SendSystemMessage(message);
}

/// <summary>Receives what could not be delivered: publishes <see cref="DeadLetter"/> on the event stream and logs it.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    public override bool IsTerminated => false;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var letter = message as DeadLetter ?? new DeadLetter(message, sender, this);
        System.RecordDeadLetter(letter);
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        // Watching dead letters means watching something that never lived.
        if (message is Watch watch) watch.Watcher.SendSystemMessage(new DeathWatchNotification(this));
    }
}
