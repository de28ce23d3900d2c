namespace Cuckoo.Actors;

/// <summary>The actor's view of itself and the kernel. Use it only on the actor's own turn (inside its handlers and hooks).</summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>The sender of the message being processed; null when it was sent without one.</summary>
    IActorRef? Sender { get; }

    IActorRef Parent { get; }

    ActorSystem System { get; }

    /// <summary>Creates a child; the name must be unique among live siblings (generated when null).</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The live child with this name, or null.</summary>
    IActorRef? Child(string name);

    IReadOnlyCollection<IActorRef> Children { get; }

    /// <summary>Stops the actor (a child, or <see cref="Self"/>) after the message it is processing; queued messages go to dead letters.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> when <paramref name="actor"/> stops, at once if it already has. Returns the actor.</summary>
    IActorRef Watch(IActorRef actor);

    IActorRef Unwatch(IActorRef actor);

    /// <summary>Replaces the current behaviour (the top of the behaviour stack).</summary>
    void Become(Action<object> receive);

    /// <summary>Pushes a behaviour, keeping the current one for <see cref="Unbecome"/>.</summary>
    void BecomeStacked(Action<object> receive);

    /// <summary>Returns to the previous behaviour; the actor's own OnReceive is never popped.</summary>
    void Unbecome();

    /// <summary>Sends <see cref="ReceiveTimeout"/> after this long without a message; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    TimeSpan? ReceiveTimeout { get; }

    /// <summary>Resolves paths relative to this actor (<c>../sibling</c>, <c>child/grandchild</c>) or absolute ones.</summary>
    ActorSelection ActorSelection(string path);
}

/// <summary>Timers owned by an actor: their messages are delivered to Self, and all are cancelled when the actor stops or restarts.</summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="msg"/> once after <paramref name="delay"/>; replaces a timer with the same key.</summary>
    void StartSingleTimer(object key, object msg, TimeSpan delay);

    void StartPeriodicTimer(object key, object msg, TimeSpan interval);

    void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>Cancels the timer; a message it already queued is discarded, not delivered.</summary>
    void Cancel(object key);

    bool IsTimerActive(object key);

    void CancelAll();
}

/// <summary>Set messages aside and take them back later, ahead of the mailbox, in the order they were stashed.</summary>
public interface IStash
{
    /// <summary>Stashes the message being processed.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns all stashed messages, oldest first, to the front of the mailbox.</summary>
    void UnstashAll();

    /// <summary>Discards all stashed messages.</summary>
    void ClearStash();

    int Count { get; }
}
