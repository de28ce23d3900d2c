using System.Numerics;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>
/// A miner slash's evidence as the coordinator stores it, serves it by <see cref="EvidenceId"/> and submits it: the
/// contract's <c>Evidence</c> struct plus the names that make it readable. Hex strings are 0x-prefixed, lower case.
/// </summary>
/// <param name="EvidenceId">The contract's id of this slash: keccak256(abi.encode(uint8(1) Kind.Miner, miner, coordinator, taskId)).</param>
/// <param name="TaskId">The scheduler's (and the app's) task id; <paramref name="TaskHash"/> is its keccak256, the contract's taskId.</param>
/// <param name="AssignmentSignature">The coordinator's EIP-712 <c>Assignment</c> signature of the task.</param>
/// <param name="WitnessOutput">The output digest every witness signed: the majority's, bit for bit.</param>
public sealed record MinerEvidence(
    string EvidenceId,
    string TaskId,
    string Model,
    string TaskHash,
    string ModelId,
    string InputDigest,
    Address Coordinator,
    string AssignmentSignature,
    Address Accused,
    string AccusedOutput,
    string AccusedSignature,
    string WitnessOutput,
    IReadOnlyList<Address> Witnesses,
    IReadOnlyList<string> WitnessSignatures,
    DateTimeOffset At);

/// <summary>What one chain call came to.</summary>
/// <param name="Error">Why it failed, in words (the contract's custom error with its arguments, or the node's answer); null on success.</param>
/// <param name="Retryable">Worth trying again later (the epoch's slash cap, the node unreachable, too little balance), as opposed to evidence the contract will never take.</param>
public sealed record ChainOutcome(bool Succeeded, string? TransactionHash, string? Error, bool Retryable)
{
    public static ChainOutcome Success(string transactionHash) => new(true, transactionHash, null, false);

    public static ChainOutcome Failure(string error, bool retryable) => new(false, null, error, retryable);
}

/// <summary>
/// The chain as the trust keeper uses it, sending from the coordinator's own address (the contract takes slashes and
/// rewards only from an active coordinator). Implementations: the staking contract over JSON-RPC, and an in-memory
/// twin for the simulation that checks evidence the way the contract does; both pass one conformance suite.
/// Calls never throw for a refusal: the outcome says it.
/// </summary>
public interface ITrustChain
{
    /// <summary>The contract's <c>minWitnesses</c>: evidence with fewer witness signatures is not submitted.</summary>
    Task<int> MinWitnessesAsync(CancellationToken cancellationToken);

    /// <summary>Submits <c>slash(evidence.Accused, evidence)</c>.</summary>
    Task<ChainOutcome> SlashAsync(MinerEvidence evidence, CancellationToken cancellationToken);

    /// <summary>Pays <paramref name="amount"/> (CAI wei) to <paramref name="miner"/>'s stakers through <c>depositReward</c>, approving the contract first when the allowance is short.</summary>
    Task<ChainOutcome> DepositRewardAsync(Address miner, BigInteger amount, CancellationToken cancellationToken);

    /// <summary>The coordinator's CAI balance (wei): what rewards can still be paid from.</summary>
    Task<BigInteger> RewardBalanceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The block from which a deposit sent from now on would be found by <see cref="FindDepositAsync"/>: the next one.
    /// Journaled before a deposit is sent, so that no resend (after a crash, or a receipt that timed out) pays twice.
    /// </summary>
    Task<long> DepositMarkAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The transaction of a deposit of <paramref name="amount"/> to <paramref name="miner"/> from this coordinator mined at
    /// or after <paramref name="fromBlock"/>; <see cref="DepositSearch.StillPending"/> while the coordinator has sent
    /// transactions not yet mined, one of which may be it.
    /// </summary>
    Task<DepositSearch> FindDepositAsync(Address miner, BigInteger amount, long fromBlock, CancellationToken cancellationToken);
}

/// <summary>What <see cref="ITrustChain.FindDepositAsync"/> found: a mined deposit's transaction, nothing, or pending transactions.</summary>
public sealed record DepositSearch(string? TransactionHash, bool Pending)
{
    public static readonly DepositSearch NotFound = new(null, false);

    public static readonly DepositSearch StillPending = new(null, true);

    public static DepositSearch Found(string transactionHash) => new(transactionHash, false);
}
