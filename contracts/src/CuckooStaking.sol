// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICaiToken, ICuckooStakingEvents} from "./ICuckooStakingEvents.sol";

/// @title Stakes, miner and coordinator registrations, votes, rewards and slashes of the Cuckoo network.
/// @notice A staker's bonded stake is either free (its self-stake, which backs its own registration) or
/// allocated as votes to candidates; `requestUnstake` moves free stake into unbonding, which earns no
/// weight but can still be slashed until it is withdrawn. See docs/staking.md for the arithmetic.
contract CuckooStaking is ICuckooStakingEvents {
    enum Kind {
        None,
        Miner,
        Coordinator
    }

    struct Candidate {
        Kind kind;
        bool registered;
        bool active;
        address staker;
        // Vote value and vote shares: slashing shrinks `votes` and leaves shares alone, so every
        // voter loses the same fraction without a loop over voters.
        uint256 votes;
        uint256 voteShares;
        // Reward per vote share, scaled by ACC_PRECISION.
        uint256 rewardPerShare;
        string intro;
    }

    struct Unbonding {
        uint256 amount;
        uint256 releaseAt;
    }

    uint256 public constant BPS = 10_000;
    uint256 public constant ACC_PRECISION = 1e18;
    /// @notice Commission a staker has until it calls `setCommission` (10%).
    uint16 public constant DEFAULT_COMMISSION_BPS = 1_000;

    ICaiToken public immutable token;
    address public immutable treasury;
    uint256 public immutable minMinerStake;
    uint256 public immutable minCoordinatorStake;
    uint256 public immutable unbondingPeriod;
    uint256 public immutable epochLength;
    uint16 public immutable maxSlashBpsPerIncident;
    uint16 public immutable maxSlashBpsPerEpoch;
    uint16 public immutable reporterShareBps;

    /// @notice Free bonded stake per staker: its self-stake.
    mapping(address => uint256) public stakeOf;
    mapping(address => Unbonding) private _unbonding;
    /// @notice The candidate address a staker has registered (zero when none).
    mapping(address => address) public registrationOf;
    mapping(address => Candidate) private _candidates;
    mapping(address => uint16) private _commission;
    mapping(address => bool) private _commissionSet;
    mapping(address => mapping(address => uint256)) public voteSharesOf;
    mapping(address => mapping(address => uint256)) private _paidRewardPerShare;
    /// @notice Settled, unclaimed rewards per account (commissions and settled vote rewards).
    mapping(address => uint256) public rewardsOf;
    mapping(address => mapping(uint256 => uint256)) public slashedBpsInEpoch;
    /// @notice Tokens held for stakes, votes and unbonding.
    uint256 public totalBonded;
    /// @notice Tokens held for unclaimed rewards.
    uint256 public totalRewardsOwed;

    uint256 private _lock = 1;

    modifier nonReentrant() {
        if (_lock != 1) revert ReentrantCall();
        _lock = 2;
        _;
        _lock = 1;
    }

    constructor(
        address token_,
        address treasury_,
        uint256 minMinerStake_,
        uint256 minCoordinatorStake_,
        uint256 unbondingPeriod_,
        uint256 epochLength_,
        uint16 maxSlashBpsPerIncident_,
        uint16 maxSlashBpsPerEpoch_,
        uint16 reporterShareBps_
    ) {
        if (token_ == address(0) || treasury_ == address(0)) revert ZeroAddress();
        // A slash below 100% keeps every slashed pool non-empty, which the vote-share arithmetic relies on.
        if (
            epochLength_ == 0 || maxSlashBpsPerIncident_ == 0 || maxSlashBpsPerIncident_ > maxSlashBpsPerEpoch_
                || maxSlashBpsPerEpoch_ >= BPS || reporterShareBps_ > BPS
        ) revert InvalidParameters();
        token = ICaiToken(token_);
        treasury = treasury_;
        minMinerStake = minMinerStake_;
        minCoordinatorStake = minCoordinatorStake_;
        unbondingPeriod = unbondingPeriod_;
        epochLength = epochLength_;
        maxSlashBpsPerIncident = maxSlashBpsPerIncident_;
        maxSlashBpsPerEpoch = maxSlashBpsPerEpoch_;
        reporterShareBps = reporterShareBps_;
    }

    /// @notice Bonds `amount` CAI (approved beforehand) as the caller's self-stake.
    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _pull(msg.sender, amount);
        stakeOf[msg.sender] += amount;
        totalBonded += amount;
        emit Staked(msg.sender, amount, stakeOf[msg.sender]);
        _refreshStaker(msg.sender);
    }

    /// @notice Moves `amount` of free stake into unbonding; each request restarts the unbonding period
    /// for everything unbonding.
    function requestUnstake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 free = stakeOf[msg.sender];
        if (amount > free) revert InsufficientStake(free, amount);
        stakeOf[msg.sender] = free - amount;
        Unbonding storage u = _unbonding[msg.sender];
        u.amount += amount;
        u.releaseAt = block.timestamp + unbondingPeriod;
        emit UnstakeRequested(msg.sender, amount, u.amount, u.releaseAt);
        _refreshStaker(msg.sender);
    }

    /// @notice Pays out everything unbonding once its period is over.
    function withdraw() external nonReentrant {
        Unbonding storage u = _unbonding[msg.sender];
        uint256 amount = u.amount;
        if (amount == 0) revert NothingToWithdraw();
        if (block.timestamp < u.releaseAt) revert UnbondingNotFinished(u.releaseAt);
        u.amount = 0;
        u.releaseAt = 0;
        totalBonded -= amount;
        _push(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    function registerMiner(address miner, string calldata intro) external nonReentrant {
        _register(miner, Kind.Miner, intro);
        emit MinerRegistered(msg.sender, miner, intro);
        _refresh(miner);
    }

    function registerCoordinator(address coordinator, string calldata intro) external nonReentrant {
        _register(coordinator, Kind.Coordinator, intro);
        emit CoordinatorRegistered(msg.sender, coordinator, intro);
        _refresh(coordinator);
    }

    /// @notice Ends the caller's registration. Votes stay until their voters take them back, and the
    /// address stays bound to this staker (and slashable for what it did) for good.
    function deregister() external nonReentrant {
        address candidate = registrationOf[msg.sender];
        if (candidate == address(0)) revert NotRegistered(msg.sender);
        Candidate storage c = _candidates[candidate];
        c.registered = false;
        registrationOf[msg.sender] = address(0);
        emit Deregistered(msg.sender, candidate);
        _refresh(candidate);
    }

    /// @notice Sets the share of each reward for the caller's miner that goes to the caller, in bps.
    function setCommission(uint16 bps) external {
        if (bps > BPS) revert InvalidBps(bps);
        _commission[msg.sender] = bps;
        _commissionSet[msg.sender] = true;
        emit CommissionChanged(msg.sender, bps);
    }

    /// @notice Allocates `amount` of the caller's free stake to `candidate` as votes.
    function vote(address candidate, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Candidate storage c = _candidates[candidate];
        if (!c.registered) revert NotRegistered(candidate);
        uint256 free = stakeOf[msg.sender];
        if (amount > free) revert InsufficientStake(free, amount);
        // Round shares down: a new voter never dilutes the ones already there. A pool never has fewer shares
        // than votes (slashes only shrink votes, unvotes burn shares rounded up), so `shares >= amount > 0`.
        uint256 shares = c.voteShares == 0 ? amount : amount * c.voteShares / c.votes;
        _settle(msg.sender, candidate);
        stakeOf[msg.sender] = free - amount;
        c.votes += amount;
        c.voteShares += shares;
        voteSharesOf[candidate][msg.sender] += shares;
        emit Voted(msg.sender, candidate, amount, shares);
        _refresh(candidate);
        if (registrationOf[msg.sender] != candidate) _refreshStaker(msg.sender);
    }

    /// @notice Returns `amount` of the caller's votes on `candidate` to its free stake (no unbonding:
    /// the stake stays bonded). Works whether or not the candidate is still registered.
    function unvote(address candidate, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Candidate storage c = _candidates[candidate];
        uint256 held = voteSharesOf[candidate][msg.sender];
        uint256 value = _shareValue(c, held);
        if (amount > value) revert InsufficientVotes(value, amount);
        // Round shares burned up, so that what leaves never exceeds what the shares are worth.
        uint256 shares = amount == value ? held : _divUp(amount * c.voteShares, c.votes);
        _settle(msg.sender, candidate);
        voteSharesOf[candidate][msg.sender] = held - shares;
        c.voteShares -= shares;
        c.votes -= amount;
        stakeOf[msg.sender] += amount;
        emit Unvoted(msg.sender, candidate, amount, shares);
        _refresh(candidate);
        if (registrationOf[msg.sender] != candidate) _refreshStaker(msg.sender);
    }

    /// @notice An active coordinator pays `amount` CAI (approved beforehand) for work `miner` did: the
    /// staker's commission first, the rest to the miner's voters pro rata (all to the staker if none).
    function depositReward(address miner, uint256 amount) external nonReentrant {
        if (!isActiveCoordinator(msg.sender)) revert NotActiveCoordinator(msg.sender);
        if (amount == 0) revert ZeroAmount();
        Candidate storage c = _candidates[miner];
        if (c.kind != Kind.Miner) revert NotMiner(miner);
        if (!c.registered) revert NotRegistered(miner);
        _pull(msg.sender, amount);
        uint256 commission = amount * commissionOf(c.staker) / BPS;
        uint256 toVoters = amount - commission;
        if (c.voteShares == 0) {
            commission = amount;
            toVoters = 0;
        } else {
            uint256 perShare = toVoters * ACC_PRECISION / c.voteShares;
            c.rewardPerShare += perShare;
            // What the accumulator cannot represent goes to the staker, so every token is owed to someone.
            uint256 distributed = perShare * c.voteShares / ACC_PRECISION;
            commission += toVoters - distributed;
            toVoters = distributed;
        }
        rewardsOf[c.staker] += commission;
        totalRewardsOwed += amount;
        emit RewardDeposited(msg.sender, miner, amount, commission, toVoters);
    }

    /// @notice Settles the caller's vote rewards on `candidates` and pays out everything it is owed.
    function claim(address[] calldata candidates) external nonReentrant returns (uint256 amount) {
        for (uint256 i = 0; i < candidates.length; i++) {
            _settle(msg.sender, candidates[i]);
        }
        amount = rewardsOf[msg.sender];
        if (amount == 0) revert NothingToClaim();
        rewardsOf[msg.sender] = 0;
        totalRewardsOwed -= amount;
        _push(msg.sender, amount);
        emit RewardsClaimed(msg.sender, amount);
    }

    /// @notice An active coordinator slashes `bps` of `miner`'s staker's free and unbonding stake and of
    /// the votes on `miner`; `reporterShareBps` of it goes to the caller and the rest to the treasury.
    function slash(address miner, uint16 bps, bytes32 evidenceHash) external nonReentrant {
        if (!isActiveCoordinator(msg.sender)) revert NotActiveCoordinator(msg.sender);
        Candidate storage c = _candidates[miner];
        if (c.kind != Kind.Miner) revert NotMiner(miner);
        if (bps == 0) revert InvalidBps(bps);
        if (bps > maxSlashBpsPerIncident) revert SlashTooLarge(bps, maxSlashBpsPerIncident);
        uint256 epoch = currentEpoch();
        uint256 used = slashedBpsInEpoch[miner][epoch];
        if (used + bps > maxSlashBpsPerEpoch) revert EpochSlashCapExceeded(used, bps, maxSlashBpsPerEpoch);
        slashedBpsInEpoch[miner][epoch] = used + bps;

        address staker = c.staker;
        // Every part rounds down, in the slashed party's favour.
        uint256 fromStake = stakeOf[staker] * bps / BPS;
        uint256 fromUnbonding = _unbonding[staker].amount * bps / BPS;
        uint256 fromVotes = c.votes * bps / BPS;
        stakeOf[staker] -= fromStake;
        _unbonding[staker].amount -= fromUnbonding;
        c.votes -= fromVotes;
        uint256 total = fromStake + fromUnbonding + fromVotes;
        totalBonded -= total;
        uint256 reporterReward = total * reporterShareBps / BPS;
        uint256 toTreasury = total - reporterReward;
        emit Slashed(miner, msg.sender, evidenceHash, bps, fromStake, fromUnbonding, fromVotes, reporterReward, toTreasury);
        if (reporterReward > 0) _push(msg.sender, reporterReward);
        if (toTreasury > 0) _push(treasury, toTreasury);
        _refresh(miner);
        // The staker may have moved on to another registration, which the same stake backs.
        address current = registrationOf[staker];
        if (current != address(0) && current != miner) _refresh(current);
    }

    function currentEpoch() public view returns (uint256) {
        return block.timestamp / epochLength;
    }

    function commissionOf(address staker) public view returns (uint16) {
        return _commissionSet[staker] ? _commission[staker] : DEFAULT_COMMISSION_BPS;
    }

    function unbondingOf(address staker) external view returns (uint256 amount, uint256 releaseAt) {
        Unbonding storage u = _unbonding[staker];
        return (u.amount, u.releaseAt);
    }

    /// @notice Everything the node needs about one candidate address in one call (the intro is `introOf`).
    function candidateOf(address candidate)
        external
        view
        returns (
            Kind kind,
            address staker,
            bool registered,
            bool active,
            uint256 selfStake,
            uint256 votes,
            uint256 weight,
            uint16 commissionBps
        )
    {
        Candidate storage c = _candidates[candidate];
        kind = c.kind;
        staker = c.staker;
        registered = c.registered;
        active = c.active;
        selfStake = staker == address(0) ? 0 : stakeOf[staker];
        votes = c.votes;
        weight = registered ? selfStake + votes : 0;
        commissionBps = commissionOf(staker);
    }

    function introOf(address candidate) external view returns (string memory) {
        return _candidates[candidate].intro;
    }

    /// @notice Self-stake plus votes of a registered candidate; zero when it is not registered.
    function weightOf(address candidate) public view returns (uint256) {
        Candidate storage c = _candidates[candidate];
        if (!c.registered) return 0;
        return stakeOf[c.staker] + c.votes;
    }

    function votesFor(address candidate) external view returns (uint256) {
        return _candidates[candidate].votes;
    }

    /// @notice What `voter`'s votes on `candidate` are worth now (after any slashes).
    function voteOf(address voter, address candidate) external view returns (uint256) {
        Candidate storage c = _candidates[candidate];
        return _shareValue(c, voteSharesOf[candidate][voter]);
    }

    function isActiveMiner(address candidate) external view returns (bool) {
        Candidate storage c = _candidates[candidate];
        return c.kind == Kind.Miner && c.active;
    }

    function isActiveCoordinator(address candidate) public view returns (bool) {
        Candidate storage c = _candidates[candidate];
        return c.kind == Kind.Coordinator && c.active;
    }

    /// @notice `account`'s claimable rewards: settled ones plus those pending on `candidates`.
    function claimable(address account, address[] calldata candidates) external view returns (uint256 amount) {
        amount = rewardsOf[account];
        for (uint256 i = 0; i < candidates.length; i++) {
            amount += _pending(account, candidates[i]);
        }
    }

    function _register(address candidate, Kind kind, string calldata intro) private {
        if (candidate == address(0)) revert ZeroAddress();
        if (candidate == msg.sender) revert SelfRegistration(msg.sender);
        address existing = registrationOf[msg.sender];
        if (existing != address(0)) revert AlreadyRegistered(msg.sender, existing);
        Candidate storage c = _candidates[candidate];
        if (c.staker != address(0) && (c.staker != msg.sender || c.kind != kind)) revert AddressTaken(candidate);
        uint256 minimum = _minimumFor(kind);
        uint256 selfStake = stakeOf[msg.sender];
        if (selfStake < minimum) revert BelowMinimum(selfStake, minimum);
        c.kind = kind;
        c.staker = msg.sender;
        c.registered = true;
        c.intro = intro;
        registrationOf[msg.sender] = candidate;
    }

    function _minimumFor(Kind kind) private view returns (uint256) {
        return kind == Kind.Coordinator ? minCoordinatorStake : minMinerStake;
    }

    function _refreshStaker(address staker) private {
        address candidate = registrationOf[staker];
        if (candidate != address(0)) _refresh(candidate);
    }

    /// @dev Re-derives `active` after any change to a candidate's self-stake, votes or registration,
    /// emitting the transition and the new weight.
    function _refresh(address candidate) private {
        Candidate storage c = _candidates[candidate];
        uint256 selfStake = stakeOf[c.staker];
        uint256 minimum = _minimumFor(c.kind);
        bool nowActive = c.registered && selfStake >= minimum;
        if (nowActive && !c.active) {
            emit RegistrationActivated(candidate, selfStake);
        } else if (!nowActive && c.active) {
            emit RegistrationDeactivated(candidate, selfStake, minimum);
        }
        c.active = nowActive;
        emit WeightChanged(candidate, c.registered ? selfStake : 0, c.votes, nowActive);
    }

    function _settle(address account, address candidate) private {
        uint256 pending = _pending(account, candidate);
        _paidRewardPerShare[candidate][account] = _candidates[candidate].rewardPerShare;
        if (pending > 0) rewardsOf[account] += pending;
    }

    function _pending(address account, address candidate) private view returns (uint256) {
        uint256 delta = _candidates[candidate].rewardPerShare - _paidRewardPerShare[candidate][account];
        return voteSharesOf[candidate][account] * delta / ACC_PRECISION;
    }

    function _shareValue(Candidate storage c, uint256 shares) private view returns (uint256) {
        if (shares == 0) return 0;
        return shares * c.votes / c.voteShares;
    }

    function _divUp(uint256 a, uint256 b) private pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    function _pull(address from, uint256 amount) private {
        if (!token.transferFrom(from, address(this), amount)) revert TransferFailed();
    }

    function _push(address to, uint256 amount) private {
        if (!token.transfer(to, amount)) revert TransferFailed();
    }
}
