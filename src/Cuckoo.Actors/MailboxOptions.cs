namespace Cuckoo.Actors;

/// <summary>What a bounded mailbox does with a message that arrives while it is full.</summary>
public enum MailboxOverflow
{
    /// <summary>The arriving message goes to dead letters.</summary>
    DropNewest,

    /// <summary>The oldest queued message goes to dead letters and the arriving one is queued.</summary>
    DropOldest,

    /// <summary><c>Tell</c> throws <see cref="MailboxOverflowException"/>; nothing is queued.</summary>
    Fail,
}

/// <summary>Mailbox settings for an actor (see <see cref="Props.WithMailbox"/>) or a system's default.</summary>
public sealed record MailboxOptions
{
    /// <summary>Unbounded, 100 messages per turn.</summary>
    public static readonly MailboxOptions Default = new();

    /// <summary>Maximum queued user messages; null (the default) means unbounded. System messages are never bounded.</summary>
    public int? Capacity { get; init; }

    /// <summary>What happens when a bounded mailbox is full; default <see cref="MailboxOverflow.DropNewest"/>.</summary>
    public MailboxOverflow Overflow { get; init; } = MailboxOverflow.DropNewest;

    /// <summary>User messages processed per turn on a pool thread before the actor yields the thread; default 100.</summary>
    public int Throughput { get; init; } = 100;

    public static MailboxOptions Bounded(int capacity, MailboxOverflow overflow = MailboxOverflow.DropNewest) =>
        new() { Capacity = capacity, Overflow = overflow };

    internal void Validate()
    {
        if (Capacity is <= 0) throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "Capacity must be positive");
        if (Throughput <= 0) throw new ArgumentOutOfRangeException(nameof(Throughput), Throughput, "Throughput must be positive");
    }
}
