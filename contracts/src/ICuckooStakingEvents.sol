// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The part of the CAI token the staking contract uses.
interface ICaiToken {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// @title CuckooStaking's events and custom errors, apart from its logic.
interface ICuckooStakingEvents {
    event Staked(address indexed staker, uint256 amount, uint256 selfStake);
    event UnstakeRequested(address indexed staker, uint256 amount, uint256 unbonding, uint256 releaseAt);
    event Withdrawn(address indexed staker, uint256 amount);
    event MinerRegistered(address indexed staker, address indexed miner, string intro);
    event CoordinatorRegistered(address indexed staker, address indexed coordinator, string intro);
    event Deregistered(address indexed staker, address indexed candidate);
    event RegistrationActivated(address indexed candidate, uint256 selfStake);
    event RegistrationDeactivated(address indexed candidate, uint256 selfStake, uint256 minimum);
    event WeightChanged(address indexed candidate, uint256 selfStake, uint256 votes, bool active);
    event Voted(address indexed voter, address indexed candidate, uint256 amount, uint256 shares);
    event Unvoted(address indexed voter, address indexed candidate, uint256 amount, uint256 shares);
    event CommissionChanged(address indexed staker, uint16 bps);
    event RewardDeposited(
        address indexed coordinator, address indexed miner, uint256 amount, uint256 commission, uint256 toVoters
    );
    event RewardsClaimed(address indexed account, uint256 amount);
    event Slashed(
        address indexed miner,
        address indexed reporter,
        bytes32 indexed evidenceHash,
        uint16 bps,
        uint256 fromStake,
        uint256 fromUnbonding,
        uint256 fromVotes,
        uint256 reporterReward,
        uint256 toTreasury
    );

    error InvalidParameters();
    error ZeroAmount();
    error ZeroAddress();
    error ReentrantCall();
    error TransferFailed();
    error InsufficientStake(uint256 available, uint256 requested);
    error BelowMinimum(uint256 selfStake, uint256 minimum);
    error AlreadyRegistered(address staker, address candidate);
    error SelfRegistration(address staker);
    error AddressTaken(address candidate);
    error NotRegistered(address candidate);
    error NotMiner(address candidate);
    error NotActiveCoordinator(address caller);
    error NothingToWithdraw();
    error UnbondingNotFinished(uint256 releaseAt);
    error InsufficientVotes(uint256 available, uint256 requested);
    error InvalidBps(uint256 bps);
    error SlashTooLarge(uint16 bps, uint16 maxPerIncident);
    error EpochSlashCapExceeded(uint256 alreadySlashedBps, uint16 bps, uint16 maxPerEpoch);
    error NothingToClaim();
}
