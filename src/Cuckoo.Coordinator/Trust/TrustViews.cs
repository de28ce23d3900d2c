using System.Text.Json.Serialization;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

// The trust keeper's replies to its queries: plain records the gateway and the CLI serve as JSON. Amounts are CAI wei
// as decimal strings, since JSON numbers lose precision beyond 2^53.

/// <summary>Where a piece of evidence stands on its way on chain.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlashStatus>))]
public enum SlashStatus
{
    /// <summary>Stored; the miner has fewer than <see cref="TrustSettings.SlashAfter"/> pieces of evidence yet.</summary>
    Waiting,

    /// <summary>To be submitted (or being submitted) to the contract.</summary>
    Pending,

    /// <summary>The chain refused it for now (the epoch's slash cap, the node unreachable): tried again on a timer.</summary>
    Retrying,

    /// <summary>The contract took the slash; <see cref="SlashState.TransactionHash"/> is its transaction.</summary>
    Submitted,

    /// <summary>The contract refused it for good; <see cref="SlashState.Error"/> says why.</summary>
    Refused,

    /// <summary>Fewer witness signatures than the contract's minWitnesses: kept as a record, never submitted.</summary>
    TooFewWitnesses,
}

public sealed record SlashState(SlashStatus Status, string? TransactionHash = null, string? Error = null);

/// <summary>Reply to <see cref="GetEvidence"/>.</summary>
public sealed record EvidenceFound(MinerEvidence Evidence, SlashState Slash);

/// <summary>Reply to <see cref="GetEvidence"/>: no evidence is stored under this id.</summary>
public sealed record EvidenceNotFound(string EvidenceId);

/// <summary>One jailed miner.</summary>
/// <param name="Reason">Why it was jailed first.</param>
/// <param name="EvidenceIds">Every piece of evidence stored against it, oldest first.</param>
/// <param name="Slashed">How many of them the contract took.</param>
public sealed record JailEntry(Address Miner, string Reason, DateTimeOffset At, IReadOnlyList<string> EvidenceIds, int Slashed)
{
    /// <summary>Disagreements that could not become on-chain evidence, each "task id: why" (e.g. results that agree only within a tolerance).</summary>
    public IReadOnlyList<string> Unprovable { get; init; } = [];
}

/// <summary>Reply to <see cref="GetJail"/>: every jailed miner, by address.</summary>
public sealed record JailList(IReadOnlyList<JailEntry> Miners);

[JsonConverter(typeof(JsonStringEnumConverter<DepositStatus>))]
public enum DepositStatus
{
    /// <summary>Nothing to deposit: no amount, or the work was forfeited.</summary>
    None,

    /// <summary>To be deposited (or being deposited).</summary>
    Pending,

    /// <summary>The chain refused it for now (low balance, node unreachable): tried again on a timer.</summary>
    Retrying,

    Deposited,

    /// <summary>The contract refused it for good; <see cref="MinerReward.Error"/> says why.</summary>
    Failed,
}

/// <summary>One miner's part of a reward period.</summary>
/// <param name="Work">Verified, completed tasks credited to it in the period: results that agreed with the accepted output.</param>
/// <param name="Amount">CAI wei it earned (decimal); null while the period is open.</param>
/// <param name="Forfeited">Jailed by the time the period closed: its work earns nothing.</param>
public sealed record MinerReward(
    Address Miner,
    long Work,
    string? Amount,
    bool Forfeited,
    DepositStatus Deposit,
    string? TransactionHash = null,
    string? Error = null);

/// <summary>A reward period: the open one (no end, no amounts yet) or a closed one.</summary>
/// <param name="Budget">CAI wei shared out in proportion to the work of the miners not jailed (decimal).</param>
public sealed record RewardPeriodView(int Index, DateTimeOffset Start, DateTimeOffset? End, string Budget, IReadOnlyList<MinerReward> Miners);

/// <summary>Reply to <see cref="GetRewards"/>: what each miner earned, and why (its verified work), newest period last.</summary>
public sealed record RewardsReport(RewardPeriodView Current, IReadOnlyList<RewardPeriodView> Closed);
