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

    [Parameter("uint16", "maxSlashBpsPerIncident_", 7)]
    public BigInteger MaxSlashBpsPerIncident { get; set; }

    [Parameter("uint16", "maxSlashBpsPerEpoch_", 8)]
    public BigInteger MaxSlashBpsPerEpoch { get; set; }

    [Parameter("uint16", "reporterShareBps_", 9)]
    public BigInteger ReporterShareBps { get; set; }
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

[Error("BelowMinimum")]
public sealed class BelowMinimumError : IErrorDTO
{
    [Parameter("uint256", "selfStake", 1)]
    public BigInteger SelfStake { get; set; }

    [Parameter("uint256", "minimum", 2)]
    public BigInteger Minimum { get; set; }
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

[Error("NotActiveCoordinator")]
public sealed class NotActiveCoordinatorError : IErrorDTO
{
    [Parameter("address", "caller", 1)]
    public string Caller { get; set; } = "";
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

[Error("NothingToWithdraw")]
public sealed class NothingToWithdrawError : IErrorDTO;

[Error("ReentrantCall")]
public sealed class ReentrantCallError : IErrorDTO;

[Error("SelfRegistration")]
public sealed class SelfRegistrationError : IErrorDTO
{
    [Parameter("address", "staker", 1)]
    public string Staker { get; set; } = "";
}

[Error("SlashTooLarge")]
public sealed class SlashTooLargeError : IErrorDTO
{
    [Parameter("uint16", "bps", 1)]
    public BigInteger Bps { get; set; }

    [Parameter("uint16", "maxPerIncident", 2)]
    public BigInteger MaxPerIncident { get; set; }
}

[Error("TransferFailed")]
public sealed class TransferFailedError : IErrorDTO;

[Error("UnbondingNotFinished")]
public sealed class UnbondingNotFinishedError : IErrorDTO
{
    [Parameter("uint256", "releaseAt", 1)]
    public BigInteger ReleaseAt { get; set; }
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
}

[Event("Deregistered")]
public sealed class DeregisteredEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("address", "candidate", 2, true)]
    public string Candidate { get; set; } = "";
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
    [Parameter("address", "miner", 1, true)]
    public string Miner { get; set; } = "";

    [Parameter("address", "reporter", 2, true)]
    public string Reporter { get; set; } = "";

    [Parameter("bytes32", "evidenceHash", 3, true)]
    public byte[] EvidenceHash { get; set; } = [];

    [Parameter("uint16", "bps", 4, false)]
    public BigInteger Bps { get; set; }

    [Parameter("uint256", "fromStake", 5, false)]
    public BigInteger FromStake { get; set; }

    [Parameter("uint256", "fromUnbonding", 6, false)]
    public BigInteger FromUnbonding { get; set; }

    [Parameter("uint256", "fromVotes", 7, false)]
    public BigInteger FromVotes { get; set; }

    [Parameter("uint256", "reporterReward", 8, false)]
    public BigInteger ReporterReward { get; set; }

    [Parameter("uint256", "toTreasury", 9, false)]
    public BigInteger ToTreasury { get; set; }
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

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "unbonding", 3, false)]
    public BigInteger Unbonding { get; set; }

    [Parameter("uint256", "releaseAt", 4, false)]
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

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }
}

[Function("ACC_PRECISION", "uint256")]
public sealed class AccPrecisionFunction : FunctionMessage;

[Function("BPS", "uint256")]
public sealed class BpsFunction : FunctionMessage;

[Function("DEFAULT_COMMISSION_BPS", "uint16")]
public sealed class DefaultCommissionBpsFunction : FunctionMessage;

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

[Function("maxSlashBpsPerEpoch", "uint16")]
public sealed class MaxSlashBpsPerEpochFunction : FunctionMessage;

[Function("maxSlashBpsPerIncident", "uint16")]
public sealed class MaxSlashBpsPerIncidentFunction : FunctionMessage;

[Function("minCoordinatorStake", "uint256")]
public sealed class MinCoordinatorStakeFunction : FunctionMessage;

[Function("minMinerStake", "uint256")]
public sealed class MinMinerStakeFunction : FunctionMessage;

[Function("registerCoordinator")]
public sealed class RegisterCoordinatorFunction : FunctionMessage
{
    [Parameter("address", "coordinator", 1)]
    public string Coordinator { get; set; } = "";

    [Parameter("string", "intro", 2)]
    public string Intro { get; set; } = "";
}

[Function("registerMiner")]
public sealed class RegisterMinerFunction : FunctionMessage
{
    [Parameter("address", "miner", 1)]
    public string Miner { get; set; } = "";

    [Parameter("string", "intro", 2)]
    public string Intro { get; set; } = "";
}

[Function("registrationOf", "address")]
public sealed class RegistrationOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Staker { get; set; } = "";
}

[Function("reporterShareBps", "uint16")]
public sealed class ReporterShareBpsFunction : FunctionMessage;

[Function("requestUnstake")]
public sealed class RequestUnstakeFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }
}

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

[Function("slash")]
public sealed class SlashFunction : FunctionMessage
{
    [Parameter("address", "miner", 1)]
    public string Miner { get; set; } = "";

    [Parameter("uint16", "bps", 2)]
    public BigInteger Bps { get; set; }

    [Parameter("bytes32", "evidenceHash", 3)]
    public byte[] EvidenceHash { get; set; } = [];
}

[Function("slashedBpsInEpoch", "uint256")]
public sealed class SlashedBpsInEpochFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Miner { get; set; } = "";

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

[Function("token", "address")]
public sealed class TokenFunction : FunctionMessage;

[Function("totalBonded", "uint256")]
public sealed class TotalBondedFunction : FunctionMessage;

[Function("totalRewardsOwed", "uint256")]
public sealed class TotalRewardsOwedFunction : FunctionMessage;

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

[Function("voteSharesOf", "uint256")]
public sealed class VoteSharesOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Candidate { get; set; } = "";

    [Parameter("address", "", 2)]
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
public sealed class WithdrawFunction : FunctionMessage;

/// <summary>Every typed class of CuckooStaking, as the drift test and the clients enumerate them.</summary>
public static class CuckooStakingTypes
{
    public static IReadOnlyList<Type> Functions { get; } =
    [
        typeof(AccPrecisionFunction),
        typeof(BpsFunction),
        typeof(DefaultCommissionBpsFunction),
        typeof(CandidateOfFunction),
        typeof(ClaimFunction),
        typeof(ClaimableFunction),
        typeof(CommissionOfFunction),
        typeof(CurrentEpochFunction),
        typeof(DepositRewardFunction),
        typeof(DeregisterFunction),
        typeof(EpochLengthFunction),
        typeof(IntroOfFunction),
        typeof(IsActiveCoordinatorFunction),
        typeof(IsActiveMinerFunction),
        typeof(MaxSlashBpsPerEpochFunction),
        typeof(MaxSlashBpsPerIncidentFunction),
        typeof(MinCoordinatorStakeFunction),
        typeof(MinMinerStakeFunction),
        typeof(RegisterCoordinatorFunction),
        typeof(RegisterMinerFunction),
        typeof(RegistrationOfFunction),
        typeof(ReporterShareBpsFunction),
        typeof(RequestUnstakeFunction),
        typeof(RewardsOfFunction),
        typeof(SetCommissionFunction),
        typeof(SlashFunction),
        typeof(SlashedBpsInEpochFunction),
        typeof(StakeFunction),
        typeof(StakeOfFunction),
        typeof(TokenFunction),
        typeof(TotalBondedFunction),
        typeof(TotalRewardsOwedFunction),
        typeof(TreasuryFunction),
        typeof(UnbondingOfFunction),
        typeof(UnbondingPeriodFunction),
        typeof(UnvoteFunction),
        typeof(VoteFunction),
        typeof(VoteOfFunction),
        typeof(VoteSharesOfFunction),
        typeof(VotesForFunction),
        typeof(WeightOfFunction),
        typeof(WithdrawFunction),
    ];

    public static IReadOnlyList<Type> Events { get; } =
    [
        typeof(CommissionChangedEvent),
        typeof(CoordinatorRegisteredEvent),
        typeof(DeregisteredEvent),
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
        typeof(BelowMinimumError),
        typeof(EpochSlashCapExceededError),
        typeof(InsufficientStakeError),
        typeof(InsufficientVotesError),
        typeof(InvalidBpsError),
        typeof(InvalidParametersError),
        typeof(NotActiveCoordinatorError),
        typeof(NotMinerError),
        typeof(NotRegisteredError),
        typeof(NothingToClaimError),
        typeof(NothingToWithdrawError),
        typeof(ReentrantCallError),
        typeof(SelfRegistrationError),
        typeof(SlashTooLargeError),
        typeof(TransferFailedError),
        typeof(UnbondingNotFinishedError),
        typeof(ZeroAddressError),
        typeof(ZeroAmountError),
    ];
}
