using Akka.Actor;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

// What the scheduler tells the trust keeper, and the trust keeper's queries. The scheduler decides which results agree
// (it needs that to finish a task); the trust keeper acts on it: jail, evidence, slash, rewards.

/// <summary>
/// Whether two outputs of one model agree: equal digests for a deterministic model, or a tolerance on the decoded
/// outputs as the catalog declares it. Must be symmetric and must never throw on a miner's bytes.
/// </summary>
public delegate bool ResultsAgree(string model, string digestA, byte[] outputA, string digestB, byte[] outputB);

/// <summary>One miner's signed result of a settled task.</summary>
/// <param name="Agreed">In the majority the task's output was taken from; false: the minority, a suspect.</param>
public sealed record RunResult(Address Miner, int Attempt, string OutputDigest, string Signature, bool Agreed);

/// <summary>
/// Scheduler to trust keeper: a task completed, once its completion is journaled; sent again for the recent outcomes
/// after the scheduler recovers, so the keeper takes it idempotently by <paramref name="TaskId"/>. Replied with
/// <see cref="SettlementRecorded"/> once the keeper has journaled it.
/// </summary>
/// <param name="InputDigest">SHA-256 of the task's input as 0x hex: with the id and model, the task as the contract names it.</param>
/// <param name="Runs">Every result that counted, agreeing and not; one for a task run once.</param>
/// <param name="Audited">Run again at random by the coordinator, not at the app's request.</param>
public sealed record TaskSettled(
    string TaskId, string Model, string InputDigest, IReadOnlyList<RunResult> Runs, bool Audited, DateTimeOffset At);

public sealed record SettlementRecorded(string TaskId);

/// <summary>Replied with <c>EvidenceFound</c> or <c>EvidenceNotFound</c>. <paramref name="EvidenceId"/> is the contract's id, 0x hex.</summary>
public sealed record GetEvidence(string EvidenceId);

/// <summary>Replied with <c>JailList</c>.</summary>
public sealed record GetJail
{
    public static GetJail Instance { get; } = new();
}

/// <summary>Replied with <c>RewardsReport</c>.</summary>
public sealed record GetRewards
{
    public static GetRewards Instance { get; } = new();
}

/// <summary>Local: an actor that wants every jailing as it happens (<see cref="MinerJailed"/>), e.g. the admission book.</summary>
public sealed record SubscribeJail(IActorRef Subscriber);

public sealed record MinerJailed(Address Miner, string Reason, string EvidenceId, DateTimeOffset At);
