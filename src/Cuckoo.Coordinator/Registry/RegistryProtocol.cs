using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Coordinator.Registry;

// Commands (to the registry). None is replied to but PickMiner and GetMiners; one sender's messages are handled in
// order, so a pick sent after a command sees its effect.

/// <summary>
/// The miner passed enrolment and joined the cluster: admitted, reachable, serving <paramref name="Models"/> with
/// <paramref name="FreeCredits"/> tasks it can take now. Sent again, it replaces the models and credits. Model names
/// compare ordinally (case-sensitive).
/// </summary>
public sealed record AdmitMiner(Address Miner, IReadOnlyCollection<string> Models, int FreeCredits);

/// <summary>The miner left the cluster (or was expelled): no longer admitted. Its chain standing is kept, as the contract keeps it.</summary>
public sealed record RemoveMiner(Address Miner);

/// <summary>
/// Sets the fields given (null: unchanged) of a miner's standing. The registry derives these from chain events itself;
/// this is for seeding it from the contract's views (<see cref="From(CandidateInfo)"/>) and for jailing by hand.
/// </summary>
public sealed record UpdateStanding(Address Miner)
{
    public CandidateKind? Kind { get; init; }

    public bool? Registered { get; init; }

    /// <summary>The contract's flag: registered with a self-stake above its minimum.</summary>
    public bool? Active { get; init; }

    public BigInteger? SelfStake { get; init; }

    public BigInteger? Votes { get; init; }

    /// <summary>Kept off every task until released; the contract has no such state, the coordinator decides it.</summary>
    public bool? Jailed { get; init; }

    /// <summary>Everything the contract's <c>candidateOf</c> view says about a candidate.</summary>
    public static UpdateStanding From(CandidateInfo info) => new(info.Candidate)
    {
        Kind = info.Kind,
        Registered = info.Registered,
        Active = info.Active,
        SelfStake = info.SelfStake,
        Votes = info.Votes,
    };
}

/// <summary>What the cluster's failure detector says of an admitted miner.</summary>
public sealed record SetReachable(Address Miner, bool Reachable);

/// <summary>How many more tasks an admitted miner can take now, as it last reported.</summary>
public sealed record SetCredits(Address Miner, int FreeCredits);

/// <summary>
/// Picks a miner for a task by weight among the eligible miners serving <paramref name="Model"/>. Replied with
/// <see cref="MinerPicked"/> or <see cref="NoMinerAvailable"/>.
/// </summary>
/// <param name="TaskId">Echoed in the reply.</param>
public sealed record PickMiner(string TaskId, string Model)
{
    /// <summary>Miners not to pick, such as those already tried for this task.</summary>
    public IReadOnlySet<Address>? Exclude { get; init; }

    /// <summary>The task's <c>miners: [...]</c>: when not empty, only these are picked from (still by weight, still eligible only).</summary>
    public IReadOnlyList<Address>? Pinned { get; init; }

    /// <summary>Takes one of the picked miner's credits, so that picks before its next report do not overbook it.</summary>
    public bool TakeCredit { get; init; } = true;
}

/// <summary>Asks for a <see cref="MinerList"/> of every known miner, or of those serving <paramref name="Model"/>.</summary>
public sealed record GetMiners(string? Model = null);

// Replies

/// <param name="Weight">The miner's weight when picked.</param>
/// <param name="FreeCredits">Its credits left after the pick.</param>
public sealed record MinerPicked(string TaskId, string Model, Address Miner, BigInteger Weight, int FreeCredits);

public sealed record NoMinerAvailable(string TaskId, string Model, NoMinerReason Reason)
{
    public string Explanation => Reason switch
    {
        NoMinerReason.UnknownModel => $"No admitted miner serves model '{Model}'.",
        NoMinerReason.NoneEligible => $"Miners serve model '{Model}', but none is eligible now (inactive, jailed, unreachable or out of credits).",
        NoMinerReason.AllTried => $"Every eligible miner for model '{Model}' was already tried for task {TaskId}.",
        NoMinerReason.NoPinnedMinerEligible => $"None of the miners task {TaskId} is pinned to is eligible and serves model '{Model}'.",
        _ => Reason.ToString(),
    };
}

public enum NoMinerReason
{
    UnknownModel,
    NoneEligible,
    AllTried,
    NoPinnedMinerEligible,
}

/// <param name="Miners">Ordered by address.</param>
public sealed record MinerList(IReadOnlyList<MinerInfo> Miners);

/// <summary>A miner as the registry sees it now.</summary>
/// <param name="Models">Sorted; empty unless admitted.</param>
/// <param name="Weight">Self-stake plus votes while registered, as the contract's <c>weightOf</c>; 0 otherwise.</param>
/// <param name="Ineligible">Why it is not picked; <see cref="Ineligibility.None"/> when it is eligible.</param>
public sealed record MinerInfo(
    Address Miner,
    CandidateKind Kind,
    bool Registered,
    bool Active,
    BigInteger SelfStake,
    BigInteger Votes,
    BigInteger Weight,
    bool Jailed,
    bool Admitted,
    bool Reachable,
    IReadOnlyList<string> Models,
    int FreeCredits,
    Ineligibility Ineligible)
{
    public bool Eligible => Ineligible == Ineligibility.None;
}

/// <summary>Every reason a miner is not picked at the moment.</summary>
[Flags]
public enum Ineligibility
{
    None = 0,
    NotRegistered = 1 << 0,
    Inactive = 1 << 1,
    BelowMinimumStake = 1 << 2,
    Jailed = 1 << 3,
    NotAdmitted = 1 << 4,
    Unreachable = 1 << 5,
    NoCredits = 1 << 6,

    /// <summary>A coordinator's address: addresses keep their kind, so it never serves tasks.</summary>
    NotAMiner = 1 << 7,

    NoWeight = 1 << 8,
}
