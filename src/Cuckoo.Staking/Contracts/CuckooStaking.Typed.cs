// Typed Nethereum classes for contracts/src/CuckooStaking.sol: one FunctionMessage per function, [FunctionOutput] for
// multi-value returns, [Event] and [Error] classes. Written from solc's ABI (contracts/build/CuckooStaking.json);
// ContractDriftTests fails when the Solidity and these classes disagree.
using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Cuckoo.Staking.Contracts.CuckooStaking;

#pragma warning disable CA1819 // byte[] properties are how Nethereum maps bytes32

/// <summary>The constructor's arguments; set <c>ByteCode</c> to the creation bytecode from solc's output at run time.</summary>
public sealed class CuckooStakingDeployment() : ContractDeploymentMessage("")
{
    [Parameter("address", "token_", 1)]
    public string Token { get; set; } = "";

    [Parameter("address", "treasury_", 2)]
    public string Treasury { get; set; } = "";

    [Parameter("uint256", "minMinerStake_", 3)]
    public BigInteger MinMinerStake { get; set; }

    [Parameter("uint256", "minCoordinatorStake_", 4)]
    public BigInteger MinCoordinatorStake { get; set; }

    [Parameter("uint256", "unbondingPeriod_", 5)]
    public BigInteger UnbondingPeriod { get; set; }

    [Parameter("uint256", "epochLength_", 6)]
    public BigInteger EpochLength { get; set; }

    [Parameter("uint16", "slashBps_", 7)]
    public BigInteger SlashBps { get; set; }

    [Parameter("uint16", "maxSlashBpsPerEpoch_", 8)]
    public BigInteger MaxSlashBpsPerEpoch { get; set; }

    [Parameter("uint256", "minWitnesses_", 9)]
    public BigInteger MinWitnesses { get; set; }

    [Parameter("uint16", "maxCommissionStepBps_", 10)]
    public BigInteger MaxCommissionStepBps { get; set; }
}

[Error("AddressTaken")]
public sealed class AddressTakenError : IErrorDTO
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Error("AlreadyRegistered")]
public sealed class AlreadyRegisteredError : IErrorDTO
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";

    [Parameter("address", "candidate", 2)]
    public string Candidate { get; set; } = "";
}

[Error("AssignmentsAgree")]
public sealed class AssignmentsAgreeError : IErrorDTO
{
    [Parameter("bytes32", "taskId", 1)]
    public byte[] TaskId { get; set; } = [];
}

[Error("BelowMinimum")]
public sealed class BelowMinimumError : IErrorDTO
{
    [Parameter("uint256", "selfStake", 1)]
    public BigInteger SelfStake { get; set; }

    [Parameter("uint256", "minimum", 2)]
    public BigInteger Minimum { get; set; }
}

[Error("CommissionStepTooLarge")]
public sealed class CommissionStepTooLargeError : IErrorDTO
{
    [Parameter("uint16", "current", 1)]
    public BigInteger Current { get; set; }

    [Parameter("uint16", "requested", 2)]
    public BigInteger Requested { get; set; }

    [Parameter("uint16", "maxStep", 3)]
    public BigInteger MaxStep { get; set; }
}

[Error("DuplicateStaker")]
public sealed class DuplicateStakerError : IErrorDTO
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";
}

[Error("EpochSlashCapExceeded")]
public sealed class EpochSlashCapExceededError : IErrorDTO
{
    [Parameter("uint256", "alreadySlashedBps", 1)]
    public BigInteger AlreadySlashedBps { get; set; }

    [Parameter("uint16", "bps", 2)]
    public BigInteger Bps { get; set; }

    [Parameter("uint16", "maxPerEpoch", 3)]
    public BigInteger MaxPerEpoch { get; set; }
}

[Error("EvidenceAlreadyUsed")]
public sealed class EvidenceAlreadyUsedError : IErrorDTO
{
    [Parameter("bytes32", "evidenceId", 1)]
    public byte[] EvidenceId { get; set; } = [];
}

[Error("InactiveMiner")]
public sealed class InactiveMinerError : IErrorDTO
{
    [Parameter("address", "miner", 1)]
    public string Miner { get; set; } = "";
}

[Error("InsufficientStake")]
public sealed class InsufficientStakeError : IErrorDTO
{
    [Parameter("uint256", "available", 1)]
    public BigInteger Available { get; set; }

    [Parameter("uint256", "requested", 2)]
    public BigInteger Requested { get; set; }
}

[Error("InsufficientVotes")]
public sealed class InsufficientVotesError : IErrorDTO
{
    [Parameter("uint256", "available", 1)]
    public BigInteger Available { get; set; }

    [Parameter("uint256", "requested", 2)]
    public BigInteger Requested { get; set; }
}

[Error("InvalidBps")]
public sealed class InvalidBpsError : IErrorDTO
{
    [Parameter("uint256", "bps", 1)]
    public BigInteger Bps { get; set; }
}

[Error("InvalidParameters")]
public sealed class InvalidParametersError : IErrorDTO;

[Error("InvalidSignature")]
public sealed class InvalidSignatureError : IErrorDTO
{
    [Parameter("bytes32", "digest", 1)]
    public byte[] Digest { get; set; } = [];
}

[Error("InvalidUrl")]
public sealed class InvalidUrlError : IErrorDTO
{
    [Parameter("uint256", "length", 1)]
    public BigInteger Length { get; set; }
}

[Error("NotActiveCoordinator")]
public sealed class NotActiveCoordinatorError : IErrorDTO
{
    [Parameter("address", "caller", 1)]
    public string Caller { get; set; } = "";
}

[Error("NotCoordinator")]
public sealed class NotCoordinatorError : IErrorDTO
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Error("NotEnoughWitnesses")]
public sealed class NotEnoughWitnessesError : IErrorDTO
{
    [Parameter("uint256", "given", 1)]
    public BigInteger Given { get; set; }

    [Parameter("uint256", "required", 2)]
    public BigInteger Required { get; set; }
}

[Error("NotMiner")]
public sealed class NotMinerError : IErrorDTO
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Error("NotRegistered")]
public sealed class NotRegisteredError : IErrorDTO
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Error("NothingToClaim")]
public sealed class NothingToClaimError : IErrorDTO;

[Error("NothingToSweep")]
public sealed class NothingToSweepError : IErrorDTO;

[Error("NothingToWithdraw")]
public sealed class NothingToWithdrawError : IErrorDTO;

[Error("OutputsAgree")]
public sealed class OutputsAgreeError : IErrorDTO
{
    [Parameter("bytes32", "output", 1)]
    public byte[] Output { get; set; } = [];
}

[Error("ReentrantCall")]
public sealed class ReentrantCallError : IErrorDTO;

[Error("SelfRegistration")]
public sealed class SelfRegistrationError : IErrorDTO
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";
}

[Error("StakeBacksRegistration")]
public sealed class StakeBacksRegistrationError : IErrorDTO
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";

    [Parameter("address", "candidate", 2)]
    public string Candidate { get; set; } = "";
}

[Error("TaskMismatch")]
public sealed class TaskMismatchError : IErrorDTO
{
    [Parameter("bytes32", "firstTaskId", 1)]
    public byte[] FirstTaskId { get; set; } = [];

    [Parameter("bytes32", "secondTaskId", 2)]
    public byte[] SecondTaskId { get; set; } = [];
}

[Error("TransferFailed")]
public sealed class TransferFailedError : IErrorDTO;

[Error("UnbondingNotFinished")]
public sealed class UnbondingNotFinishedError : IErrorDTO
{
    [Parameter("uint256", "releaseAt", 1)]
    public BigInteger ReleaseAt { get; set; }
}

[Error("WitnessNotActiveMiner")]
public sealed class WitnessNotActiveMinerError : IErrorDTO
{
    [Parameter("address", "witness", 1)]
    public string Witness { get; set; } = "";
}

[Error("WrongSigner")]
public sealed class WrongSignerError : IErrorDTO
{
    [Parameter("address", "expected", 1)]
    public string Expected { get; set; } = "";

    [Parameter("address", "recovered", 2)]
    public string Recovered { get; set; } = "";
}

[Error("ZeroAddress")]
public sealed class ZeroAddressError : IErrorDTO;

[Error("ZeroAmount")]
public sealed class ZeroAmountError : IErrorDTO;

[Event("CommissionChanged")]
public sealed class CommissionChangedEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("uint16", "bps", 2, false)]
    public BigInteger Bps { get; set; }

    [Parameter("uint256", "effectiveEpoch", 3, false)]
    public BigInteger EffectiveEpoch { get; set; }
}

[Event("ConsentRevoked")]
public sealed class ConsentRevokedEvent : IEventDTO
{
    [Parameter("address", "candidate", 1, true)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "nextNonce", 2, false)]
    public BigInteger NextNonce { get; set; }
}

[Event("CoordinatorRegistered")]
public sealed class CoordinatorRegisteredEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("address", "coordinator", 2, true)]
    public string Coordinator { get; set; } = "";

    [Parameter("string", "intro", 3, false)]
    public string Intro { get; set; } = "";

    [Parameter("string", "url", 4, false)]
    public string Url { get; set; } = "";
}

[Event("CoordinatorUrlChanged")]
public sealed class CoordinatorUrlChangedEvent : IEventDTO
{
    [Parameter("address", "coordinator", 1, true)]
    public string Coordinator { get; set; } = "";

    [Parameter("string", "url", 2, false)]
    public string Url { get; set; } = "";
}

[Event("Deregistered")]
public sealed class DeregisteredEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("address", "candidate", 2, true)]
    public string Candidate { get; set; } = "";
}

[Event("DustSwept")]
public sealed class DustSweptEvent : IEventDTO
{
    [Parameter("address", "treasury", 1, true)]
    public string Treasury { get; set; } = "";

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }
}

[Event("MinerRegistered")]
public sealed class MinerRegisteredEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("address", "miner", 2, true)]
    public string Miner { get; set; } = "";

    [Parameter("string", "intro", 3, false)]
    public string Intro { get; set; } = "";
}

[Event("RegistrationActivated")]
public sealed class RegistrationActivatedEvent : IEventDTO
{
    [Parameter("address", "candidate", 1, true)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "selfStake", 2, false)]
    public BigInteger SelfStake { get; set; }
}

[Event("RegistrationDeactivated")]
public sealed class RegistrationDeactivatedEvent : IEventDTO
{
    [Parameter("address", "candidate", 1, true)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "selfStake", 2, false)]
    public BigInteger SelfStake { get; set; }

    [Parameter("uint256", "minimum", 3, false)]
    public BigInteger Minimum { get; set; }
}

[Event("RewardDeposited")]
public sealed class RewardDepositedEvent : IEventDTO
{
    [Parameter("address", "coordinator", 1, true)]
    public string Coordinator { get; set; } = "";

    [Parameter("address", "miner", 2, true)]
    public string Miner { get; set; } = "";

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "commission", 4, false)]
    public BigInteger Commission { get; set; }

    [Parameter("uint256", "toVoters", 5, false)]
    public BigInteger ToVoters { get; set; }
}

[Event("RewardsClaimed")]
public sealed class RewardsClaimedEvent : IEventDTO
{
    [Parameter("address", "account", 1, true)]
    public string Account { get; set; } = "";

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }
}

[Event("Slashed")]
public sealed class SlashedEvent : IEventDTO
{
    [Parameter("address", "candidate", 1, true)]
    public string Candidate { get; set; } = "";

    [Parameter("address", "reporter", 2, true)]
    public string Reporter { get; set; } = "";

    [Parameter("bytes32", "evidenceId", 3, true)]
    public byte[] EvidenceId { get; set; } = [];

    [Parameter("uint16", "bps", 4, false)]
    public BigInteger Bps { get; set; }

    [Parameter("uint256", "fromStake", 5, false)]
    public BigInteger FromStake { get; set; }

    [Parameter("uint256", "fromUnbonding", 6, false)]
    public BigInteger FromUnbonding { get; set; }

    [Parameter("uint256", "fromVotes", 7, false)]
    public BigInteger FromVotes { get; set; }

    [Parameter("uint256", "burned", 8, false)]
    public BigInteger Burned { get; set; }
}

[Event("Staked")]
public sealed class StakedEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "selfStake", 3, false)]
    public BigInteger SelfStake { get; set; }
}

[Event("UnstakeRequested")]
public sealed class UnstakeRequestedEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("address", "candidate", 2, true)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "unbonding", 4, false)]
    public BigInteger Unbonding { get; set; }

    [Parameter("uint256", "releaseAt", 5, false)]
    public BigInteger ReleaseAt { get; set; }
}

[Event("Unvoted")]
public sealed class UnvotedEvent : IEventDTO
{
    [Parameter("address", "voter", 1, true)]
    public string Voter { get; set; } = "";

    [Parameter("address", "candidate", 2, true)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "shares", 4, false)]
    public BigInteger Shares { get; set; }

    [Parameter("uint256", "unbonding", 5, false)]
    public BigInteger Unbonding { get; set; }

    [Parameter("uint256", "releaseAt", 6, false)]
    public BigInteger ReleaseAt { get; set; }
}

[Event("Voted")]
public sealed class VotedEvent : IEventDTO
{
    [Parameter("address", "voter", 1, true)]
    public string Voter { get; set; } = "";

    [Parameter("address", "candidate", 2, true)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "shares", 4, false)]
    public BigInteger Shares { get; set; }

    [Parameter("uint256", "earningFromEpoch", 5, false)]
    public BigInteger EarningFromEpoch { get; set; }
}

[Event("WeightChanged")]
public sealed class WeightChangedEvent : IEventDTO
{
    [Parameter("address", "candidate", 1, true)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "selfStake", 2, false)]
    public BigInteger SelfStake { get; set; }

    [Parameter("uint256", "votes", 3, false)]
    public BigInteger Votes { get; set; }

    [Parameter("bool", "active", 4, false)]
    public bool Active { get; set; }
}

[Event("Withdrawn")]
public sealed class WithdrawnEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("address", "candidate", 2, true)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }
}

[Function("ACC_PRECISION", "uint256")]
public sealed class AccPrecisionFunction : FunctionMessage;

[Function("ASSIGNMENT_TYPEHASH", "bytes32")]
public sealed class AssignmentTypehashFunction : FunctionMessage;

[Function("BPS", "uint256")]
public sealed class BpsFunction : FunctionMessage;

[Function("DEFAULT_COMMISSION_BPS", "uint16")]
public sealed class DefaultCommissionBpsFunction : FunctionMessage;

[Function("DOMAIN_SEPARATOR", "bytes32")]
public sealed class DomainSeparatorFunction : FunctionMessage;

[Function("MAX_URL_LENGTH", "uint256")]
public sealed class MaxUrlLengthFunction : FunctionMessage;

[Function("REGISTRATION_TYPEHASH", "bytes32")]
public sealed class RegistrationTypehashFunction : FunctionMessage;

[Function("RESULT_TYPEHASH", "bytes32")]
public sealed class ResultTypehashFunction : FunctionMessage;

[Function("assignmentDigest", "bytes32")]
public sealed class AssignmentDigestFunction : FunctionMessage
{
    [Parameter("bytes32", "taskId", 1)]
    public byte[] TaskId { get; set; } = [];

    [Parameter("bytes32", "modelId", 2)]
    public byte[] ModelId { get; set; } = [];

    [Parameter("bytes32", "inputDigest", 3)]
    public byte[] InputDigest { get; set; } = [];
}

[FunctionOutput]
public sealed class CandidateOfOutput : IFunctionOutputDTO
{
    [Parameter("uint8", "kind", 1)]
    public BigInteger Kind { get; set; }

    [Parameter("address", "staker", 2)]
    public string Staker { get; set; } = "";

    [Parameter("bool", "registered", 3)]
    public bool Registered { get; set; }

    [Parameter("bool", "active", 4)]
    public bool Active { get; set; }

    [Parameter("uint256", "selfStake", 5)]
    public BigInteger SelfStake { get; set; }

    [Parameter("uint256", "votes", 6)]
    public BigInteger Votes { get; set; }

    [Parameter("uint256", "weight", 7)]
    public BigInteger Weight { get; set; }

    [Parameter("uint16", "commissionBps", 8)]
    public BigInteger CommissionBps { get; set; }
}

[Function("candidateOf", typeof(CandidateOfOutput))]
public sealed class CandidateOfFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Function("claim", "uint256")]
public sealed class ClaimFunction : FunctionMessage
{
    [Parameter("address[]", "candidates", 1)]
    public List<string> Candidates { get; set; } = [];
}

[Function("claimable", "uint256")]
public sealed class ClaimableFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = "";

    [Parameter("address[]", "candidates", 2)]
    public List<string> Candidates { get; set; } = [];
}

[Function("commissionOf", "uint16")]
public sealed class CommissionOfFunction : FunctionMessage
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";
}

[FunctionOutput]
public sealed class CommissionScheduleOfOutput : IFunctionOutputDTO
{
    [Parameter("uint16", "current", 1)]
    public BigInteger Current { get; set; }

    [Parameter("uint16", "next", 2)]
    public BigInteger Next { get; set; }

    [Parameter("uint256", "effectiveEpoch", 3)]
    public BigInteger EffectiveEpoch { get; set; }
}

[Function("commissionScheduleOf", typeof(CommissionScheduleOfOutput))]
public sealed class CommissionScheduleOfFunction : FunctionMessage
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";
}

[Function("consentNonceOf", "uint256")]
public sealed class ConsentNonceOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Candidate { get; set; } = "";
}

[Function("currentEpoch", "uint256")]
public sealed class CurrentEpochFunction : FunctionMessage;

[Function("depositReward")]
public sealed class DepositRewardFunction : FunctionMessage
{
    [Parameter("address", "miner", 1)]
    public string Miner { get; set; } = "";

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("deregister")]
public sealed class DeregisterFunction : FunctionMessage;

[Function("epochLength", "uint256")]
public sealed class EpochLengthFunction : FunctionMessage;

[Function("evidenceUsed", "bool")]
public sealed class EvidenceUsedFunction : FunctionMessage
{
    [Parameter("bytes32", "", 1)]
    public byte[] EvidenceId { get; set; } = [];
}

[Function("introOf", "string")]
public sealed class IntroOfFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Function("isActiveCoordinator", "bool")]
public sealed class IsActiveCoordinatorFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Function("isActiveMiner", "bool")]
public sealed class IsActiveMinerFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Function("maxCommissionStepBps", "uint16")]
public sealed class MaxCommissionStepBpsFunction : FunctionMessage;

[Function("maxSlashBpsPerEpoch", "uint16")]
public sealed class MaxSlashBpsPerEpochFunction : FunctionMessage;

[Function("minCoordinatorStake", "uint256")]
public sealed class MinCoordinatorStakeFunction : FunctionMessage;

[Function("minMinerStake", "uint256")]
public sealed class MinMinerStakeFunction : FunctionMessage;

[Function("minWitnesses", "uint256")]
public sealed class MinWitnessesFunction : FunctionMessage;

[FunctionOutput]
public sealed class PoolsOfOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "pendingVotes", 1)]
    public BigInteger PendingVotes { get; set; }

    [Parameter("uint256", "earningFromEpoch", 2)]
    public BigInteger EarningFromEpoch { get; set; }

    [Parameter("uint256", "unbonding", 3)]
    public BigInteger Unbonding { get; set; }
}

[Function("poolsOf", typeof(PoolsOfOutput))]
public sealed class PoolsOfFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Function("registerCoordinator")]
public sealed class RegisterCoordinatorFunction : FunctionMessage
{
    [Parameter("address", "coordinator", 1)]
    public string Coordinator { get; set; } = "";

    [Parameter("string", "intro", 2)]
    public string Intro { get; set; } = "";

    [Parameter("string", "url", 3)]
    public string Url { get; set; } = "";

    [Parameter("bytes", "consent", 4)]
    public byte[] Consent { get; set; } = [];
}

[Function("registerMiner")]
public sealed class RegisterMinerFunction : FunctionMessage
{
    [Parameter("address", "miner", 1)]
    public string Miner { get; set; } = "";

    [Parameter("string", "intro", 2)]
    public string Intro { get; set; } = "";

    [Parameter("bytes", "consent", 3)]
    public byte[] Consent { get; set; } = [];
}

[Function("registrationDigest", "bytes32")]
public sealed class RegistrationDigestFunction : FunctionMessage
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";

    [Parameter("uint8", "kind", 2)]
    public BigInteger Kind { get; set; }

    [Parameter("string", "intro", 3)]
    public string Intro { get; set; } = "";

    [Parameter("uint256", "nonce", 4)]
    public BigInteger ConsentNonce { get; set; }
}

[Function("registrationOf", "address")]
public sealed class RegistrationOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Staker { get; set; } = "";
}

[Function("requestUnstake")]
public sealed class RequestUnstakeFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }
}

[Function("resultDigest", "bytes32")]
public sealed class ResultDigestFunction : FunctionMessage
{
    [Parameter("bytes32", "taskId", 1)]
    public byte[] TaskId { get; set; } = [];

    [Parameter("bytes32", "modelId", 2)]
    public byte[] ModelId { get; set; } = [];

    [Parameter("bytes32", "inputDigest", 3)]
    public byte[] InputDigest { get; set; } = [];

    [Parameter("bytes32", "outputDigest", 4)]
    public byte[] OutputDigest { get; set; } = [];

    [Parameter("address", "coordinator", 5)]
    public string Coordinator { get; set; } = "";
}

[Function("revokeConsent")]
public sealed class RevokeConsentFunction : FunctionMessage;

[Function("rewardsOf", "uint256")]
public sealed class RewardsOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Account { get; set; } = "";
}

[Function("setCommission")]
public sealed class SetCommissionFunction : FunctionMessage
{
    [Parameter("uint16", "bps", 1)]
    public BigInteger Bps { get; set; }
}

[Function("setCoordinatorUrl")]
public sealed class SetCoordinatorUrlFunction : FunctionMessage
{
    [Parameter("string", "url", 1)]
    public string Url { get; set; } = "";
}

[Function("slash")]
public sealed class SlashFunction : FunctionMessage
{
    [Parameter("address", "miner", 1)]
    public string Miner { get; set; } = "";

    [Parameter("tuple", "evidence", 2)]
    public EvidenceStruct Evidence { get; set; } = new();
}

[Function("slashBps", "uint16")]
public sealed class SlashBpsFunction : FunctionMessage;

[Function("slashCoordinator")]
public sealed class SlashCoordinatorFunction : FunctionMessage
{
    [Parameter("address", "coordinator", 1)]
    public string Coordinator { get; set; } = "";

    [Parameter("tuple", "first", 2)]
    public TaskStruct First { get; set; } = new();

    [Parameter("bytes", "firstSignature", 3)]
    public byte[] FirstSignature { get; set; } = [];

    [Parameter("tuple", "second", 4)]
    public TaskStruct Second { get; set; } = new();

    [Parameter("bytes", "secondSignature", 5)]
    public byte[] SecondSignature { get; set; } = [];
}

[Function("slashedBpsInEpoch", "uint256")]
public sealed class SlashedBpsInEpochFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Staker { get; set; } = "";

    [Parameter("uint256", "", 2)]
    public BigInteger Epoch { get; set; }
}

[Function("stake")]
public sealed class StakeFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }
}

[Function("stakeOf", "uint256")]
public sealed class StakeOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Staker { get; set; } = "";
}

[Function("sweepDust", "uint256")]
public sealed class SweepDustFunction : FunctionMessage;

[Function("sweepable", "uint256")]
public sealed class SweepableFunction : FunctionMessage;

[Function("token", "address")]
public sealed class TokenFunction : FunctionMessage;

[Function("totalBonded", "uint256")]
public sealed class TotalBondedFunction : FunctionMessage;

[Function("totalRewardsOwed", "uint256")]
public sealed class TotalRewardsOwedFunction : FunctionMessage;

[Function("totalSlashed", "uint256")]
public sealed class TotalSlashedFunction : FunctionMessage;

[Function("treasury", "address")]
public sealed class TreasuryFunction : FunctionMessage;

[FunctionOutput]
public sealed class UnbondingOfOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "releaseAt", 2)]
    public BigInteger ReleaseAt { get; set; }
}

[Function("unbondingOf", typeof(UnbondingOfOutput))]
public sealed class UnbondingOfFunction : FunctionMessage
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";

    [Parameter("address", "candidate", 2)]
    public string Candidate { get; set; } = "";
}

[Function("unbondingPeriod", "uint256")]
public sealed class UnbondingPeriodFunction : FunctionMessage;

[Function("unvote")]
public sealed class UnvoteFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("urlOf", "string")]
public sealed class UrlOfFunction : FunctionMessage
{
    [Parameter("address", "coordinator", 1)]
    public string Coordinator { get; set; } = "";
}

[Function("vote")]
public sealed class VoteFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("voteOf", "uint256")]
public sealed class VoteOfFunction : FunctionMessage
{
    [Parameter("address", "voter", 1)]
    public string Voter { get; set; } = "";

    [Parameter("address", "candidate", 2)]
    public string Candidate { get; set; } = "";
}

[FunctionOutput]
public sealed class VotePositionOfOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "value", 1)]
    public BigInteger Value { get; set; }

    [Parameter("uint256", "pendingValue", 2)]
    public BigInteger PendingValue { get; set; }

    [Parameter("uint256", "earningFromEpoch", 3)]
    public BigInteger EarningFromEpoch { get; set; }
}

[Function("votePositionOf", typeof(VotePositionOfOutput))]
public sealed class VotePositionOfFunction : FunctionMessage
{
    [Parameter("address", "voter", 1)]
    public string Voter { get; set; } = "";

    [Parameter("address", "candidate", 2)]
    public string Candidate { get; set; } = "";
}

[Function("voteSharesOf", "uint256")]
public sealed class VoteSharesOfFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";

    [Parameter("address", "voter", 2)]
    public string Voter { get; set; } = "";
}

[Function("votesFor", "uint256")]
public sealed class VotesForFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Function("weightOf", "uint256")]
public sealed class WeightOfFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Function("withdraw")]
public sealed class WithdrawFunction : FunctionMessage
{
    [Parameter("address", "candidate", 1)]
    public string Candidate { get; set; } = "";
}

[Struct("Evidence")]
public sealed class EvidenceStruct
{
    [Parameter("tuple", "task", 1)]
    public TaskStruct Task { get; set; } = new();

    [Parameter("bytes", "assignmentSignature", 2)]
    public byte[] AssignmentSignature { get; set; } = [];

    [Parameter("bytes32", "accusedOutput", 3)]
    public byte[] AccusedOutput { get; set; } = [];

    [Parameter("bytes", "accusedSignature", 4)]
    public byte[] AccusedSignature { get; set; } = [];

    [Parameter("bytes32", "witnessOutput", 5)]
    public byte[] WitnessOutput { get; set; } = [];

    [Parameter("bytes[]", "witnessSignatures", 6)]
    public List<byte[]> WitnessSignatures { get; set; } = [];
}

[Struct("Task")]
public sealed class TaskStruct
{
    [Parameter("bytes32", "taskId", 1)]
    public byte[] TaskId { get; set; } = [];

    [Parameter("bytes32", "modelId", 2)]
    public byte[] ModelId { get; set; } = [];

    [Parameter("bytes32", "inputDigest", 3)]
    public byte[] InputDigest { get; set; } = [];
}

/// <summary>Every typed class of CuckooStaking, as the drift test and the clients enumerate them.</summary>
public static class CuckooStakingTypes
{
    public static IReadOnlyList<Type> Functions { get; } =
    [
        typeof(AccPrecisionFunction),
        typeof(AssignmentTypehashFunction),
        typeof(BpsFunction),
        typeof(DefaultCommissionBpsFunction),
        typeof(DomainSeparatorFunction),
        typeof(MaxUrlLengthFunction),
        typeof(RegistrationTypehashFunction),
        typeof(ResultTypehashFunction),
        typeof(AssignmentDigestFunction),
        typeof(CandidateOfFunction),
        typeof(ClaimFunction),
        typeof(ClaimableFunction),
        typeof(CommissionOfFunction),
        typeof(CommissionScheduleOfFunction),
        typeof(ConsentNonceOfFunction),
        typeof(CurrentEpochFunction),
        typeof(DepositRewardFunction),
        typeof(DeregisterFunction),
        typeof(EpochLengthFunction),
        typeof(EvidenceUsedFunction),
        typeof(IntroOfFunction),
        typeof(IsActiveCoordinatorFunction),
        typeof(IsActiveMinerFunction),
        typeof(MaxCommissionStepBpsFunction),
        typeof(MaxSlashBpsPerEpochFunction),
        typeof(MinCoordinatorStakeFunction),
        typeof(MinMinerStakeFunction),
        typeof(MinWitnessesFunction),
        typeof(PoolsOfFunction),
        typeof(RegisterCoordinatorFunction),
        typeof(RegisterMinerFunction),
        typeof(RegistrationDigestFunction),
        typeof(RegistrationOfFunction),
        typeof(RequestUnstakeFunction),
        typeof(ResultDigestFunction),
        typeof(RevokeConsentFunction),
        typeof(RewardsOfFunction),
        typeof(SetCommissionFunction),
        typeof(SetCoordinatorUrlFunction),
        typeof(SlashFunction),
        typeof(SlashBpsFunction),
        typeof(SlashCoordinatorFunction),
        typeof(SlashedBpsInEpochFunction),
        typeof(StakeFunction),
        typeof(StakeOfFunction),
        typeof(SweepDustFunction),
        typeof(SweepableFunction),
        typeof(TokenFunction),
        typeof(TotalBondedFunction),
        typeof(TotalRewardsOwedFunction),
        typeof(TotalSlashedFunction),
        typeof(TreasuryFunction),
        typeof(UnbondingOfFunction),
        typeof(UnbondingPeriodFunction),
        typeof(UnvoteFunction),
        typeof(UrlOfFunction),
        typeof(VoteFunction),
        typeof(VoteOfFunction),
        typeof(VotePositionOfFunction),
        typeof(VoteSharesOfFunction),
        typeof(VotesForFunction),
        typeof(WeightOfFunction),
        typeof(WithdrawFunction),
    ];

    public static IReadOnlyList<Type> Events { get; } =
    [
        typeof(CommissionChangedEvent),
        typeof(ConsentRevokedEvent),
        typeof(CoordinatorRegisteredEvent),
        typeof(CoordinatorUrlChangedEvent),
        typeof(DeregisteredEvent),
        typeof(DustSweptEvent),
        typeof(MinerRegisteredEvent),
        typeof(RegistrationActivatedEvent),
        typeof(RegistrationDeactivatedEvent),
        typeof(RewardDepositedEvent),
        typeof(RewardsClaimedEvent),
        typeof(SlashedEvent),
        typeof(StakedEvent),
        typeof(UnstakeRequestedEvent),
        typeof(UnvotedEvent),
        typeof(VotedEvent),
        typeof(WeightChangedEvent),
        typeof(WithdrawnEvent),
    ];

    public static IReadOnlyList<Type> Errors { get; } =
    [
        typeof(AddressTakenError),
        typeof(AlreadyRegisteredError),
        typeof(AssignmentsAgreeError),
        typeof(BelowMinimumError),
        typeof(CommissionStepTooLargeError),
        typeof(DuplicateStakerError),
        typeof(EpochSlashCapExceededError),
        typeof(EvidenceAlreadyUsedError),
        typeof(InactiveMinerError),
        typeof(InsufficientStakeError),
        typeof(InsufficientVotesError),
        typeof(InvalidBpsError),
        typeof(InvalidParametersError),
        typeof(InvalidSignatureError),
        typeof(InvalidUrlError),
        typeof(NotActiveCoordinatorError),
        typeof(NotCoordinatorError),
        typeof(NotEnoughWitnessesError),
        typeof(NotMinerError),
        typeof(NotRegisteredError),
        typeof(NothingToClaimError),
        typeof(NothingToSweepError),
        typeof(NothingToWithdrawError),
        typeof(OutputsAgreeError),
        typeof(ReentrantCallError),
        typeof(SelfRegistrationError),
        typeof(StakeBacksRegistrationError),
        typeof(TaskMismatchError),
        typeof(TransferFailedError),
        typeof(UnbondingNotFinishedError),
        typeof(WitnessNotActiveMinerError),
        typeof(WrongSignerError),
        typeof(ZeroAddressError),
        typeof(ZeroAmountError),
    ];
}
