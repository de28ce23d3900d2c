using Cuckoo.Chain;

namespace Cuckoo.Staking;

/// <summary>
/// The CuckooStaking ABI as human-readable declarations, so that nodes need no build output at run time;
/// a test checks it against what solc emits for contracts/src/CuckooStaking.sol.
/// </summary>
public static class CuckooStakingAbi
{
    public static readonly string[] Functions =
    [
        "function BPS() view returns (uint256)",
        "function ACC_PRECISION() view returns (uint256)",
        "function DEFAULT_COMMISSION_BPS() view returns (uint16)",
        "function token() view returns (address)",
        "function treasury() view returns (address)",
        "function minMinerStake() view returns (uint256)",
        "function minCoordinatorStake() view returns (uint256)",
        "function unbondingPeriod() view returns (uint256)",
        "function epochLength() view returns (uint256)",
        "function maxSlashBpsPerIncident() view returns (uint16)",
        "function maxSlashBpsPerEpoch() view returns (uint16)",
        "function reporterShareBps() view returns (uint16)",
        "function stakeOf(address) view returns (uint256)",
        "function registrationOf(address) view returns (address)",
        "function voteSharesOf(address, address) view returns (uint256)",
        "function rewardsOf(address) view returns (uint256)",
        "function slashedBpsInEpoch(address, uint256) view returns (uint256)",
        "function totalBonded() view returns (uint256)",
        "function totalRewardsOwed() view returns (uint256)",
        "function stake(uint256 amount)",
        "function requestUnstake(uint256 amount)",
        "function withdraw()",
        "function registerMiner(address miner, string intro)",
        "function registerCoordinator(address coordinator, string intro)",
        "function deregister()",
        "function setCommission(uint16 bps)",
        "function vote(address candidate, uint256 amount)",
        "function unvote(address candidate, uint256 amount)",
        "function depositReward(address miner, uint256 amount)",
        "function claim(address[] candidates) returns (uint256 amount)",
        "function slash(address miner, uint16 bps, bytes32 evidenceHash)",
        "function currentEpoch() view returns (uint256)",
        "function commissionOf(address staker) view returns (uint16)",
        "function unbondingOf(address staker) view returns (uint256 amount, uint256 releaseAt)",
        "function candidateOf(address candidate) view returns (uint8 kind, address staker, bool registered, bool active, uint256 selfStake, uint256 votes, uint256 weight, uint16 commissionBps)",
        "function introOf(address candidate) view returns (string)",
        "function weightOf(address candidate) view returns (uint256)",
        "function votesFor(address candidate) view returns (uint256)",
        "function voteOf(address voter, address candidate) view returns (uint256)",
        "function isActiveMiner(address candidate) view returns (bool)",
        "function isActiveCoordinator(address candidate) view returns (bool)",
        "function claimable(address account, address[] candidates) view returns (uint256 amount)",
    ];

    public static readonly string[] Events =
    [
        "event Staked(address indexed staker, uint256 amount, uint256 selfStake)",
        "event UnstakeRequested(address indexed staker, uint256 amount, uint256 unbonding, uint256 releaseAt)",
        "event Withdrawn(address indexed staker, uint256 amount)",
        "event MinerRegistered(address indexed staker, address indexed miner, string intro)",
        "event CoordinatorRegistered(address indexed staker, address indexed coordinator, string intro)",
        "event Deregistered(address indexed staker, address indexed candidate)",
        "event RegistrationActivated(address indexed candidate, uint256 selfStake)",
        "event RegistrationDeactivated(address indexed candidate, uint256 selfStake, uint256 minimum)",
        "event WeightChanged(address indexed candidate, uint256 selfStake, uint256 votes, bool active)",
        "event Voted(address indexed voter, address indexed candidate, uint256 amount, uint256 shares)",
        "event Unvoted(address indexed voter, address indexed candidate, uint256 amount, uint256 shares)",
        "event CommissionChanged(address indexed staker, uint16 bps)",
        "event RewardDeposited(address indexed coordinator, address indexed miner, uint256 amount, uint256 commission, uint256 toVoters)",
        "event RewardsClaimed(address indexed account, uint256 amount)",
        "event Slashed(address indexed miner, address indexed reporter, bytes32 indexed evidenceHash, uint16 bps, uint256 fromStake, uint256 fromUnbonding, uint256 fromVotes, uint256 reporterReward, uint256 toTreasury)",
    ];

    public static readonly string[] Errors =
    [
        "error InvalidParameters()",
        "error ZeroAmount()",
        "error ZeroAddress()",
        "error ReentrantCall()",
        "error TransferFailed()",
        "error InsufficientStake(uint256 available, uint256 requested)",
        "error BelowMinimum(uint256 selfStake, uint256 minimum)",
        "error AlreadyRegistered(address staker, address candidate)",
        "error SelfRegistration(address staker)",
        "error AddressTaken(address candidate)",
        "error NotRegistered(address candidate)",
        "error NotMiner(address candidate)",
        "error NotActiveCoordinator(address caller)",
        "error NothingToWithdraw()",
        "error UnbondingNotFinished(uint256 releaseAt)",
        "error InsufficientVotes(uint256 available, uint256 requested)",
        "error InvalidBps(uint256 bps)",
        "error SlashTooLarge(uint16 bps, uint16 maxPerIncident)",
        "error EpochSlashCapExceeded(uint256 alreadySlashedBps, uint16 bps, uint16 maxPerEpoch)",
        "error NothingToClaim()",
    ];

    /// <summary>The staking contract's own ABI (without the token's errors).</summary>
    public static ContractAbi Own { get; } = Build(Functions, Events, Errors);

    /// <summary>Also knows the token's errors, which bubble up through <c>stake</c> and <c>depositReward</c>.</summary>
    public static ContractAbi WithTokenErrors { get; } = Build(Functions, Events, [.. Errors, .. CaiTokenAbi.Errors]);

    internal static ContractAbi Build(IEnumerable<string> functions, IEnumerable<string> events, IEnumerable<string> errors) =>
        new(functions.Select(AbiFunction.Parse), events.Select(AbiEvent.Parse), errors.Distinct().Select(AbiError.Parse));
}

/// <summary>The CaiToken ABI as human-readable declarations (checked against solc's output by a test).</summary>
public static class CaiTokenAbi
{
    public static readonly string[] Functions =
    [
        "function name() view returns (string)",
        "function symbol() view returns (string)",
        "function decimals() view returns (uint8)",
        "function totalSupply() view returns (uint256)",
        "function balanceOf(address) view returns (uint256)",
        "function allowance(address, address) view returns (uint256)",
        "function owner() view returns (address)",
        "function faucetEnabled() view returns (bool)",
        "function faucetAmount() view returns (uint256)",
        "function faucetCooldown() view returns (uint256)",
        "function lastFaucetAt(address) view returns (uint256)",
        "function faucetAvailableAt(address account) view returns (uint256)",
        "function transfer(address to, uint256 value) returns (bool)",
        "function approve(address spender, uint256 value) returns (bool)",
        "function transferFrom(address from, address to, uint256 value) returns (bool)",
        "function faucet()",
        "function setFaucetEnabled(bool enabled)",
        "function transferOwnership(address newOwner)",
    ];

    public static readonly string[] Events =
    [
        "event Transfer(address indexed from, address indexed to, uint256 value)",
        "event Approval(address indexed owner, address indexed spender, uint256 value)",
        "event FaucetUsed(address indexed recipient, uint256 amount, uint256 nextAvailableAt)",
        "event FaucetToggled(bool enabled)",
        "event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)",
    ];

    public static readonly string[] Errors =
    [
        "error NotOwner(address caller)",
        "error ZeroAddress()",
        "error InsufficientBalance(address account, uint256 balance, uint256 needed)",
        "error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed)",
        "error FaucetDisabled()",
        "error FaucetCooldown(address recipient, uint256 availableAt)",
    ];

    public static ContractAbi Abi { get; } = CuckooStakingAbi.Build(Functions, Events, Errors);
}
