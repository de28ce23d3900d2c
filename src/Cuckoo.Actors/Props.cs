namespace Cuckoo.Actors;

/// <summary>The recipe for creating (and re-creating on restart) an actor.</summary>
public sealed class Props
{
    private Props(Type actorType, Func<ActorBase> factory, SupervisorStrategy? supervisorStrategy, MailboxOptions? mailbox)
    {
        ActorType = actorType;
        Factory = factory;
        SupervisorStrategy = supervisorStrategy;
        Mailbox = mailbox;
    }

    public Type ActorType { get; }

    /// <summary>Called once per incarnation, on the actor's own turn.</summary>
    public Func<ActorBase> Factory { get; }

    /// <summary>How the actor supervises its children; null means the actor's own <c>SupervisorStrategy()</c>.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Null means the system's default mailbox.</summary>
    public MailboxOptions? Mailbox { get; }

    public static Props Create<TActor>() where TActor : ActorBase, new() => new(typeof(TActor), static () => new TActor(), null, null);

    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, null, null);
    }

    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(ActorType, Factory, strategy, Mailbox);
    }

    public Props WithMailbox(MailboxOptions mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        mailbox.Validate();
        return new Props(ActorType, Factory, SupervisorStrategy, mailbox);
    }

    public override string ToString() => $"Props({ActorType.Name})";
}
