using System.Text.Json.Serialization;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Persistence;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>
/// A settled task, taken once: its results without their outputs, and what the keeper made of its suspects. Applying it
/// credits the agreeing miners' work, jails every suspect not jailed yet and stores its evidence, so one row holds the
/// whole decision and a replay repeats it exactly (the evidence was built, with the clock, when the settlement came).
/// </summary>
/// <param name="Evidence">On-chain evidence built against suspects; null: none.</param>
/// <param name="Unprovable">Suspects no evidence could be built against, and why; null: none.</param>
[EventManifest("trust.settlement.v1")]
public sealed record SettlementJournaled(
    string TaskId,
    string Model,
    string InputDigest,
    IReadOnlyList<SettledRun> Runs,
    bool Audited,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MinerEvidence>? Evidence = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<UnprovableSuspect>? Unprovable = null)
    : IPersistedEvent;

/// <summary>One result of a settled task as journaled: <see cref="RunResult"/> in the journal's address form.</summary>
public sealed record SettledRun(
    [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, int Attempt, string OutputDigest, string Signature, bool Agreed);

public sealed record UnprovableSuspect([property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, string Why);

/// <summary>The contract took the slash of this evidence.</summary>
[EventManifest("trust.slash-submitted.v1")]
public sealed record SlashSubmitted(string EvidenceId, string TransactionHash, DateTimeOffset At) : IPersistedEvent;

/// <summary>The contract refused this evidence for good (refusals for now are retried, not journaled).</summary>
[EventManifest("trust.slash-refused.v1")]
public sealed record SlashRefused(string EvidenceId, string Error, DateTimeOffset At) : IPersistedEvent;

/// <summary>The first reward period began; each later one begins where the one before closed.</summary>
[EventManifest("trust.reward-period-started.v1")]
public sealed record RewardPeriodStarted(int Index, DateTimeOffset Start) : IPersistedEvent;

/// <summary>A reward period closed with each miner's share worked out (journaled, so a replay never reworks it).</summary>
/// <param name="Budget">CAI wei, decimal.</param>
[EventManifest("trust.reward-period-closed.v1")]
public sealed record RewardPeriodClosed(int Index, DateTimeOffset Start, DateTimeOffset End, string Budget, IReadOnlyList<PeriodShare> Shares)
    : IPersistedEvent;

/// <param name="Amount">CAI wei, decimal; "0" when forfeited.</param>
public sealed record PeriodShare([property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, long Work, string Amount, bool Forfeited);

[EventManifest("trust.reward-deposited.v1")]
public sealed record RewardDeposited(
    int Period, [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, string Amount, string TransactionHash, DateTimeOffset At)
    : IPersistedEvent;

/// <summary>
/// A deposit is about to be sent for the first time: any deposit of this amount to this miner found from
/// <paramref name="FromBlock"/> on is this one, so a resend (after a crash, or after a receipt that timed out) looks
/// there first instead of paying twice.
/// </summary>
/// <param name="Amount">CAI wei, decimal.</param>
[EventManifest("trust.reward-deposit-started.v1")]
public sealed record RewardDepositStarted(
    int Period, [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, string Amount, long FromBlock, DateTimeOffset At)
    : IPersistedEvent;

/// <summary>The contract refused a deposit for good (refusals for now are retried, not journaled).</summary>
[EventManifest("trust.reward-deposit-failed.v1")]
public sealed record RewardDepositFailed(
    int Period, [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, string Error, DateTimeOffset At)
    : IPersistedEvent;

/// <summary>The trust keeper's whole durable state.</summary>
/// <param name="Recent">Settled task ids remembered, oldest first.</param>
/// <param name="CurrentStart">Null before the first period began.</param>
[EventManifest("trust.snapshot.v1")]
public sealed record TrustSnapshot(
    IReadOnlyList<string> Recent,
    IReadOnlyList<JailRecord> Jail,
    IReadOnlyList<EvidenceRecord> Evidence,
    int CurrentIndex,
    DateTimeOffset? CurrentStart,
    IReadOnlyList<WorkRecord> CurrentWork,
    IReadOnlyList<PeriodRecord> Closed) : IPersistedEvent;

public sealed record JailRecord(
    [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner,
    string Reason,
    DateTimeOffset At,
    IReadOnlyList<string> EvidenceIds,
    IReadOnlyList<string> Unprovable);

/// <summary>Stored evidence and its journaled outcome: a transaction (submitted), an error (refused), or neither yet.</summary>
public sealed record EvidenceRecord(MinerEvidence Evidence, string? TransactionHash, string? Error);

public sealed record WorkRecord([property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, long Work);

/// <param name="Started">Deposits sent at least once and not yet journaled as deposited or failed (absent in older snapshots).</param>
public sealed record PeriodRecord(RewardPeriodClosed Period, IReadOnlyList<DepositRecord> Deposits, IReadOnlyList<StartedDeposit>? Started = null);

/// <summary>A deposit sent from <paramref name="FromBlock"/> on, with no outcome journaled yet.</summary>
public sealed record StartedDeposit([property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, long FromBlock);

/// <summary>A deposit's journaled outcome: a transaction or an error.</summary>
public sealed record DepositRecord(
    [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, string? TransactionHash, string? Error);
