namespace Cuckoo.Actors;

/// <summary>
/// A handle to an actor. Refs are cheap, thread-safe and compare equal when they name the same incarnation
/// (path and uid). The interface is deliberately small so that a remote ref can implement it.
/// </summary>
public interface IActorRef
{
    ActorPath Path { get; }

    /// <summary>Enqueues <paramref name="message"/> without waiting; <paramref name="sender"/> becomes the receiver's Sender.</summary>
    void Tell(object message, IActorRef? sender = null);
}

/// <summary>Well-known refs.</summary>
public static class ActorRefs
{
    /// <summary>A ref that silently discards what it is told; use it where a ref is required but no one listens.</summary>
    public static readonly IActorRef Nobody = new NobodyActorRef();

    /// <summary>Explicitly no sender.</summary>
    public static readonly IActorRef? NoSender = null;

    private sealed class NobodyActorRef : IActorRef
    {
        public ActorPath Path { get; } = ActorPath.Root("nobody").Child("Nobody");

        public void Tell(object message, IActorRef? sender = null)
        {
        }

        public override string ToString() => "Nobody";
    }
}

/// <summary>What the kernel needs from a ref beyond <see cref="IActorRef"/>: system messages and liveness.</summary>
internal interface IInternalActorRef : IActorRef
{
    ActorSystem System { get; }

    bool IsTerminated { get; }

    void SendSystemMessage(SystemMessage message);
}

/// <summary>Base for the kernel's refs: equality by path (which includes the uid), readable ToString.</summary>
internal abstract class ActorRefBase : IInternalActorRef
{
    public abstract ActorPath Path { get; }

    public abstract ActorSystem System { get; }

    public abstract bool IsTerminated { get; }

    public abstract void Tell(object message, IActorRef? sender = null);

    public abstract void SendSystemMessage(SystemMessage message);

    public override bool Equals(object? obj) => obj is IActorRef other && Path.Equals(other.Path);

    public override int GetHashCode() => Path.GetHashCode();

    public override string ToString() => $"[{Path.ToSerializationFormat()}]";
}
