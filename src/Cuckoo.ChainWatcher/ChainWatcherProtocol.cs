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

    /// <summary>Free stake moved into a candidate's unbonding pool (no weight, still slashable for that candidate).</summary>
    UnstakeRequested,

    /// <summary>An unbonding position paid out.</summary>
    Withdrawn,
}

/// <param name="Amount">The amount of this change.</param>
/// <param name="SelfStake">The staker's free stake afterwards (known for <see cref="StakeChangeKind.Staked"/> only).</param>
/// <param name="Unbonding">The staker's unbonding position on <paramref name="Candidate"/> afterwards (not known for <see cref="StakeChangeKind.Staked"/>).</param>
/// <param name="Candidate">Whose unbonding pool the change is in (zero: stake that backed nothing); zero for <see cref="StakeChangeKind.Staked"/>.</param>
/// <param name="ReleaseAt">When the position can be withdrawn (known for <see cref="StakeChangeKind.UnstakeRequested"/> only).</param>
public sealed record StakeChanged(
    Address Staker, StakeChangeKind Kind, BigInteger Amount, BigInteger? SelfStake, BigInteger? Unbonding, ChainEventPosition Position)
    : IChainEvent
{
    public Address Candidate { get; init; }

    public DateTimeOffset? ReleaseAt { get; init; }
}

public sealed record MinerRegistered(Address Miner, Address Staker, string Intro, ChainEventPosition Position) : IChainEvent;

/// <param name="Url">The coordinator's public enrolment URL, where miners enrol.</param>
public sealed record CoordinatorRegistered(Address Coordinator, Address Staker, string Intro, string Url, ChainEventPosition Position) : IChainEvent;

/// <summary>A coordinator's staker changed its enrolment URL.</summary>
public sealed record CoordinatorUrlChanged(Address Coordinator, string Url, ChainEventPosition Position) : IChainEvent;

/// <summary>A candidate key voided its unused registration consents; the next consent must carry <paramref name="NextNonce"/>.</summary>
public sealed record ConsentRevoked(Address Candidate, BigInteger NextNonce, ChainEventPosition Position) : IChainEvent;

/// <summary>Rounding dust went to the treasury.</summary>
public sealed record DustSwept(Address Treasury, BigInteger Amount, ChainEventPosition Position) : IChainEvent;

public sealed record CandidateDeregistered(Address Candidate, Address Staker, ChainEventPosition Position) : IChainEvent;

/// <summary>A registration crossed the minimum self-stake: active again, or inactive until topped up.</summary>
public sealed record CandidateActivationChanged(Address Candidate, bool Active, BigInteger SelfStake, ChainEventPosition Position) : IChainEvent;

/// <summary>The contract's <c>WeightChanged</c>: enough on its own to keep a weight table.</summary>
public sealed record WeightChanged(Address Candidate, BigInteger SelfStake, BigInteger Votes, bool Active, ChainEventPosition Position) : IChainEvent
{
    public BigInteger Weight => SelfStake + Votes;
}

/// <param name="Delta">Positive for a vote, negative for an unvote.</param>
/// <remarks>
/// A vote counts in the weight at once and earns from epoch <see cref="EarningFromEpoch"/> (no event marks the
/// boundary: its time is <c>EarningFromEpoch × epochLength</c>). An unvote's amount is unbonding on the candidate until
/// <see cref="ReleaseAt"/>, the voter's whole position there being <see cref="Unbonding"/>.
/// </remarks>
public sealed record VoteChanged(Address Voter, Address Candidate, BigInteger Delta, ChainEventPosition Position) : IChainEvent
{
    /// <summary>For a vote: the epoch it starts earning in.</summary>
    public BigInteger? EarningFromEpoch { get; init; }

    /// <summary>For an unvote: the voter's unbonding position on the candidate afterwards.</summary>
    public BigInteger? Unbonding { get; init; }

    /// <summary>For an unvote: when that position can be withdrawn.</summary>
    public DateTimeOffset? ReleaseAt { get; init; }
}

/// <summary>A commission of <paramref name="Bps"/> scheduled from epoch <paramref name="EffectiveEpoch"/>; the one before stays in force until then.</summary>
public sealed record CommissionChanged(Address Staker, int Bps, BigInteger EffectiveEpoch, ChainEventPosition Position) : IChainEvent;

public sealed record MinerRewarded(Address Coordinator, Address Miner, BigInteger Amount, BigInteger Commission, BigInteger ToVoters, ChainEventPosition Position) : IChainEvent;

public sealed record RewardsClaimed(Address Account, BigInteger Amount, ChainEventPosition Position) : IChainEvent;

/// <summary>A miner or a coordinator (<paramref name="Candidate"/>) slashed on evidence the contract verified.</summary>
/// <param name="EvidenceId">0x-prefixed id of the evidence; the contract refuses it a second time.</param>
/// <param name="Total">Taken from stake, unbonding and votes together.</param>
/// <param name="Burned">Destroyed (all of <paramref name="Total"/>: nobody profits from a slash).</param>
public sealed record CandidateSlashed(
    Address Candidate, Address Reporter, string EvidenceId, int Bps, BigInteger Total, BigInteger Burned, ChainEventPosition Position) : IChainEvent;

/// <summary>
/// The blocks after <paramref name="ForkBlock"/> up to <paramref name="OrphanedToBlock"/> were replaced; events
/// delivered from them are void. The new history's events follow, from <c>ForkBlock + 1</c>.
/// </summary>
public sealed record ChainReorganized(long ForkBlock, long OrphanedToBlock) : IChainWatcherEvent;

/// <summary>The node has not answered for longer than the staleness deadline: the view may be out of date.</summary>
public sealed record ChainViewStale(DateTimeOffset Since, string Reason) : IChainWatcherEvent;

/// <summary>The watcher reached the confirmed head (at start, or after being stale).</summary>
public sealed record ChainViewFresh(long CheckpointBlock) : IChainWatcherEvent;
