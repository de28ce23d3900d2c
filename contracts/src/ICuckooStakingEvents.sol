// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The part of the CAI token the staking contract uses.
interface ICaiToken {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
    function burn(uint256 value) external;
}

/// @title CuckooStaking's events and custom errors, apart from its logic.
interface ICuckooStakingEvents {
    event Staked(address indexed staker, uint256 amount, uint256 selfStake);
    /// @notice `candidate` is the registration the stake backed (zero when none); `unbonding` is the staker's
    /// whole unbonding position on it after this request.
    event UnstakeRequested(
        address indexed staker, address indexed candidate, uint256 amount, uint256 unbonding, uint256 releaseAt
    );
    event Withdrawn(address indexed staker, address indexed candidate, uint256 amount);
    event MinerRegistered(address indexed staker, address indexed miner, string intro);
    event CoordinatorRegistered(address indexed staker, address indexed coordinator, string intro, string url);
    event CoordinatorUrlChanged(address indexed coordinator, string url);
    event ConsentRevoked(address indexed candidate, uint256 nextNonce);
    event Deregistered(address indexed staker, address indexed candidate);
    event RegistrationActivated(address indexed candidate, uint256 selfStake);
    event RegistrationDeactivated(address indexed candidate, uint256 selfStake, uint256 minimum);
    event WeightChanged(address indexed candidate, uint256 selfStake, uint256 votes, bool active);
    /// @notice The new shares earn rewards from the start of epoch `earningFromEpoch`.
    event Voted(address indexed voter, address indexed candidate, uint256 amount, uint256 shares, uint256 earningFromEpoch);
    /// @notice `amount` left the vote pool for the voter's unbonding position on `candidate`.
    event Unvoted(
        address indexed voter,
        address indexed candidate,
        uint256 amount,
        uint256 shares,
        uint256 unbonding,
        uint256 releaseAt
    );
    event CommissionChanged(address indexed staker, uint16 bps, uint256 effectiveEpoch);
    event RewardDeposited(
        address indexed coordinator, address indexed miner, uint256 amount, uint256 commission, uint256 toVoters
    );
    event RewardsClaimed(address indexed account, uint256 amount);
    /// @notice Every slashed token is burned: `burned = fromStake + fromUnbonding + fromVotes`.
    event Slashed(
        address indexed candidate,
        address indexed reporter,
        bytes32 indexed evidenceId,
        uint16 bps,
        uint256 fromStake,
        uint256 fromUnbonding,
        uint256 fromVotes,
        uint256 burned
    );
    event DustSwept(address indexed treasury, uint256 amount);

    error InvalidParameters();
    error ZeroAmount();
    error ZeroAddress();
    error ReentrantCall();
    error TransferFailed();
    error InsufficientStake(uint256 available, uint256 requested);
    /// @notice Registration and activity need a self-stake strictly above the minimum.
    error BelowMinimum(uint256 selfStake, uint256 minimum);
    error AlreadyRegistered(address staker, address candidate);
    error SelfRegistration(address staker);
    error AddressTaken(address candidate);
    error NotRegistered(address candidate);
    error NotMiner(address candidate);
    error NotCoordinator(address candidate);
    error NotActiveCoordinator(address caller);
    error InactiveMiner(address miner);
    error NothingToWithdraw();
    error UnbondingNotFinished(uint256 releaseAt);
    error InsufficientVotes(uint256 available, uint256 requested);
    /// @notice A registered staker's free stake backs its registration, so it cannot be voted elsewhere.
    error StakeBacksRegistration(address staker, address candidate);
    error InvalidBps(uint256 bps);
    error CommissionStepTooLarge(uint16 current, uint16 requested, uint16 maxStep);
    error InvalidUrl(uint256 length);
    error EpochSlashCapExceeded(uint256 alreadySlashedBps, uint16 bps, uint16 maxPerEpoch);
    error NothingToClaim();
    error NothingToSweep();
    /// @notice Not a 65-byte signature with v in {27, 28} and a low s that recovers to a non-zero address.
    error InvalidSignature(bytes32 digest);
    error WrongSigner(address expected, address recovered);
    error NotEnoughWitnesses(uint256 given, uint256 required);
    error OutputsAgree(bytes32 output);
    error WitnessNotActiveMiner(address witness);
    /// @notice Two results of one piece of evidence come from miners of the same staker.
    error DuplicateStaker(address staker);
    error EvidenceAlreadyUsed(bytes32 evidenceId);
    error TaskMismatch(bytes32 firstTaskId, bytes32 secondTaskId);
    error AssignmentsAgree(bytes32 taskId);
}
