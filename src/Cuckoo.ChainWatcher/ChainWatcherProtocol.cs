using System.Numerics;
using IActorRef = Akka.Actor.IActorRef;
using Cuckoo.Chain;

namespace Cuckoo.ChainWatcher;

// Commands (to the watcher)

/// <summary>Adds <paramref name="Subscriber"/> to the watcher's subscribers; it is watched and dropped when it stops. Replied with <see cref="ChainEventsSubscribed"/>.</summary>
public sealed record SubscribeChainEvents(IActorRef Subscriber);

/// <summary>Removes <paramref name="Subscriber"/>; replied with <see cref="ChainEventsUnsubscribed"/>.</summary>
public sealed record UnsubscribeChainEvents(IActorRef Subscriber);

/// <summary>Asks for a <see cref="ChainWatcherStatus"/>.</summary>
public sealed record GetChainWatcherStatus
{
    public static readonly GetChainWatcherStatus Instance = new();
}

/// <summary>Polls at once instead of waiting for the timer (ignored while a poll is running).</summary>
public sealed record PollChainNow
{
    public static readonly PollChainNow Instance = new();
}

// Replies

public sealed record ChainEventsSubscribed(IActorRef Subscriber, long CheckpointBlock);

public sealed record ChainEventsUnsubscribed(IActorRef Subscriber);

/// <param name="CheckpointBlock">The last block whose events were delivered (the start block minus one before any).</param>
/// <param name="CheckpointHash">Its hash, null before the first checkpoint.</param>
/// <param name="LastSuccessAt">When the node last answered a poll, null if never.</param>
public sealed record ChainWatcherStatus(
    long CheckpointBlock, string? CheckpointHash, bool Fresh, bool Stale, DateTimeOffset? LastSuccessAt, int ConsecutiveFailures, int Subscribers);

// Events (to subscribers and the event stream)

/// <summary>Where a contract event sits on the chain; (BlockNumber, LogIndex) orders events, and identifies one for de-duplication.</summary>
public sealed record ChainEventPosition(long BlockNumber, string BlockHash, string TransactionHash, long LogIndex) : IComparable<ChainEventPosition>
{
    public int CompareTo(ChainEventPosition? other) =>
        other is null ? 1 : BlockNumber != other.BlockNumber ? BlockNumber.CompareTo(other.BlockNumber) : LogIndex.CompareTo(other.LogIndex);
}

/// <summary>Every message the watcher sends to subscribers; subscribe to this type on the event stream to get them all.</summary>
public interface IChainWatcherEvent;

/// <summary>A confirmed event of the staking contract, delivered once, in chain order.</summary>
public interface IChainEvent : IChainWatcherEvent
{
    ChainEventPosition Position { get; }
}

public enum StakeChangeKind
{
    /// <summary>Tokens bonded into free stake.</summary>
    Staked,

    /// <summary>Free stake moved into unbonding (no weight, still slashable).</summary>
    UnstakeRequested,

    /// <summary>Unbonded stake paid out.</summary>
    Withdrawn,
}

/// <param name="Amount">The amount of this change.</param>
/// <param name="SelfStake">The staker's free stake afterwards (known for <see cref="StakeChangeKind.Staked"/> only).</param>
/// <param name="Unbonding">The staker's unbonding bucket afterwards (known for <see cref="StakeChangeKind.UnstakeRequested"/> only).</param>
public sealed record StakeChanged(
    Address Staker, StakeChangeKind Kind, BigInteger Amount, BigInteger? SelfStake, BigInteger? Unbonding, ChainEventPosition Position) : IChainEvent;

public sealed record MinerRegistered(Address Miner, Address Staker, string Intro, ChainEventPosition Position) : IChainEvent;

public sealed record CoordinatorRegistered(Address Coordinator, Address Staker, string Intro, ChainEventPosition Position) : IChainEvent;

public sealed record CandidateDeregistered(Address Candidate, Address Staker, ChainEventPosition Position) : IChainEvent;

/// <summary>A registration crossed the minimum self-stake: active again, or inactive until topped up.</summary>
public sealed record CandidateActivationChanged(Address Candidate, bool Active, BigInteger SelfStake, ChainEventPosition Position) : IChainEvent;

/// <summary>The contract's <c>WeightChanged</c>: enough on its own to keep a weight table.</summary>
public sealed record WeightChanged(Address Candidate, BigInteger SelfStake, BigInteger Votes, bool Active, ChainEventPosition Position) : IChainEvent
{
    public BigInteger Weight => SelfStake + Votes;
}

/// <param name="Delta">Positive for a vote, negative for an unvote.</param>
public sealed record VoteChanged(Address Voter, Address Candidate, BigInteger Delta, ChainEventPosition Position) : IChainEvent;

public sealed record CommissionChanged(Address Staker, int Bps, ChainEventPosition Position) : IChainEvent;

public sealed record MinerRewarded(Address Coordinator, Address Miner, BigInteger Amount, BigInteger Commission, BigInteger ToVoters, ChainEventPosition Position) : IChainEvent;

public sealed record RewardsClaimed(Address Account, BigInteger Amount, ChainEventPosition Position) : IChainEvent;

/// <param name="EvidenceHash">0x-prefixed Keccak-256 of the evidence.</param>
/// <param name="Total">Taken from stake, unbonding and votes together.</param>
public sealed record MinerSlashed(Address Miner, Address Reporter, string EvidenceHash, int Bps, BigInteger Total, ChainEventPosition Position) : IChainEvent;

/// <summary>
/// The blocks after <paramref name="ForkBlock"/> up to <paramref name="OrphanedToBlock"/> were replaced; events
/// delivered from them are void. The new history's events follow, from <c>ForkBlock + 1</c>.
/// </summary>
public sealed record ChainReorganized(long ForkBlock, long OrphanedToBlock) : IChainWatcherEvent;

/// <summary>The node has not answered for longer than the staleness deadline: the view may be out of date.</summary>
public sealed record ChainViewStale(DateTimeOffset Since, string Reason) : IChainWatcherEvent;

/// <summary>The watcher reached the confirmed head (at start, or after being stale).</summary>
public sealed record ChainViewFresh(long CheckpointBlock) : IChainWatcherEvent;
