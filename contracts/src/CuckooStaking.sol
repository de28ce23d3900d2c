// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICaiToken, ICuckooStakingEvents} from "./ICuckooStakingEvents.sol";

/// @title Stakes, miner and coordinator registrations, votes, rewards and slashes of the Cuckoo network.
/// @notice Every bonded token sits in exactly one slashable place: a registered staker's free stake (backing
/// its registration), a candidate's vote pool, or a candidate's unbonding pool (stake that left that
/// candidate and is still answerable for it). Slashes need evidence this contract verifies, and burn what
/// they take. See docs/staking.md for the rules and the threat model.
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
        // Bps slashed from this candidate's pools in epoch `slashEpoch` (truncated; packed in the first slot).
        // With the staker's own tally it keeps a re-registered address from being slashed under two caps.
        uint32 slashEpoch;
        uint16 slashedBps;
        // Vote pool: value and shares. A slash shrinks the value and leaves the shares alone, so every voter
        // loses the same fraction without a loop over voters.
        uint256 votes;
        uint256 voteShares;
        // Shares voted during epoch `pendingEpoch - 1`: in the pool (weight, slashable) but earning only
        // from `pendingEpoch` on. Activated lazily by the first touch after the boundary.
        uint256 pendingShares;
        uint256 pendingEpoch;
        // Reward per earning vote share, scaled by ACC_PRECISION.
        uint256 rewardPerShare;
        // Reserved for voters at deposits and not yet settled to any of them; dust once no shares are left.
        uint256 voterRewardsUnsettled;
        // Unbonding pool: stake that left this candidate (unvotes, the staker's unstakes) and is still slashable.
        uint256 unbondingValue;
        uint256 unbondingShares;
        string intro;
        string url;
    }

    struct VotePosition {
        uint256 shares;
        uint256 pendingShares;
        uint256 pendingEpoch;
        uint256 paidRewardPerShare;
    }

    struct UnbondingPosition {
        uint256 shares;
        uint256 releaseAt;
    }

    struct CommissionSchedule {
        bool set;
        uint16 current;
        uint16 next;
        uint64 effectiveEpoch;
    }

    /// @notice What a coordinator signs when it hands out a task: the same for every miner it goes to.
    struct Task {
        bytes32 taskId;
        bytes32 modelId;
        bytes32 inputDigest;
    }

    /// @notice A miner slash's evidence: the task the submitting coordinator signed, the accused's signed
    /// result, and at least `minWitnesses` signed results by other active miners that agree with each other.
    struct Evidence {
        Task task;
        bytes assignmentSignature;
        bytes32 accusedOutput;
        bytes accusedSignature;
        bytes32 witnessOutput;
        bytes[] witnessSignatures;
    }

    uint256 public constant BPS = 10_000;
    uint256 public constant ACC_PRECISION = 1e18;
    /// @notice Commission a staker has until its first `setCommission` takes effect (10%).
    uint16 public constant DEFAULT_COMMISSION_BPS = 1_000;
    uint256 public constant MAX_URL_LENGTH = 256;

    bytes32 public constant RESULT_TYPEHASH = keccak256(
        "Result(bytes32 taskId,bytes32 modelId,bytes32 inputDigest,bytes32 outputDigest,address coordinator)"
    );
    bytes32 public constant ASSIGNMENT_TYPEHASH =
        keccak256("Assignment(bytes32 taskId,bytes32 modelId,bytes32 inputDigest)");
    bytes32 public constant REGISTRATION_TYPEHASH =
        keccak256("Registration(address staker,uint8 kind,string intro,uint256 nonce)");
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("CuckooStaking");
    bytes32 private constant VERSION_HASH = keccak256("1");
    // secp256k1n / 2: a larger s is the malleable twin of a valid signature.
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    ICaiToken public immutable token;
    address public immutable treasury;
    uint256 public immutable minMinerStake;
    uint256 public immutable minCoordinatorStake;
    uint256 public immutable unbondingPeriod;
    uint256 public immutable epochLength;
    uint16 public immutable slashBps;
    uint16 public immutable maxSlashBpsPerEpoch;
    uint256 public immutable minWitnesses;
    uint16 public immutable maxCommissionStepBps;

    uint256 private immutable _deployChainId;
    bytes32 private immutable _deployDomainSeparator;

    /// @notice Free bonded stake per staker: its self-stake, backing its registration if it has one.
    mapping(address => uint256) public stakeOf;
    /// @notice The candidate address a staker has registered (zero when none).
    mapping(address => address) public registrationOf;
    /// @notice The nonce the candidate key's next registration consent must carry.
    mapping(address => uint256) public consentNonceOf;
    mapping(address => Candidate) private _candidates;
    mapping(address => mapping(address => VotePosition)) private _votes;
    mapping(address => mapping(address => UnbondingPosition)) private _unbonding;
    // rewardPerShare of a candidate when the shares voted before `epoch` started earning.
    mapping(address => mapping(uint256 => uint256)) private _rewardPerShareAt;
    mapping(address => CommissionSchedule) private _commission;
    /// @notice Settled, unclaimed rewards per account (commissions and settled vote rewards).
    mapping(address => uint256) public rewardsOf;
    /// @notice Bps slashed per staker per epoch, over all the candidates its stake is answerable for.
    mapping(address => mapping(uint256 => uint256)) public slashedBpsInEpoch;
    mapping(bytes32 => bool) public evidenceUsed;
    /// @notice Tokens held for stakes, votes and unbonding.
    uint256 public totalBonded;
    /// @notice Tokens held for rewards not yet claimed (including reserved ones not yet settled).
    uint256 public totalRewardsOwed;
    /// @notice Tokens burned by slashes since deployment.
    uint256 public totalSlashed;

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
        uint16 slashBps_,
        uint16 maxSlashBpsPerEpoch_,
        uint256 minWitnesses_,
        uint16 maxCommissionStepBps_
    ) {
        if (token_ == address(0) || treasury_ == address(0)) revert ZeroAddress();
        // A slash below 100% keeps every slashed pool non-empty, which the share arithmetic relies on.
        if (
            minMinerStake_ == 0 || minCoordinatorStake_ == 0 || unbondingPeriod_ == 0 || epochLength_ == 0
                || slashBps_ == 0 || slashBps_ > maxSlashBpsPerEpoch_ || maxSlashBpsPerEpoch_ >= BPS
                || minWitnesses_ == 0 || maxCommissionStepBps_ == 0 || maxCommissionStepBps_ > BPS
        ) revert InvalidParameters();
        token = ICaiToken(token_);
        treasury = treasury_;
        minMinerStake = minMinerStake_;
        minCoordinatorStake = minCoordinatorStake_;
        unbondingPeriod = unbondingPeriod_;
        epochLength = epochLength_;
        slashBps = slashBps_;
        maxSlashBpsPerEpoch = maxSlashBpsPerEpoch_;
        minWitnesses = minWitnesses_;
        maxCommissionStepBps = maxCommissionStepBps_;
        _deployChainId = block.chainid;
        _deployDomainSeparator = _buildDomainSeparator();
    }


    /// @notice Bonds `amount` CAI (approved beforehand) as the caller's self-stake.
    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        stakeOf[msg.sender] += amount;
        totalBonded += amount;
        emit Staked(msg.sender, amount, stakeOf[msg.sender]);
        _refreshStaker(msg.sender);
        _pull(msg.sender, amount);
    }

    /// @notice Moves `amount` of free stake into unbonding, on the pool of the registration it backs (if
    /// any), where it stays slashable; each request restarts the period for the caller's whole position there.
    function requestUnstake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 free = stakeOf[msg.sender];
        if (amount > free) revert InsufficientStake(free, amount);
        stakeOf[msg.sender] = free - amount;
        address candidate = registrationOf[msg.sender];
        (uint256 unbonding, uint256 releaseAt) = _unbond(msg.sender, candidate, amount);
        emit UnstakeRequested(msg.sender, candidate, amount, unbonding, releaseAt);
        _refreshStaker(msg.sender);
    }

    /// @notice Pays out the caller's unbonding position on `candidate` (zero: stake that backed nothing)
    /// once its period is over, at what it is worth after any slashes.
    function withdraw(address candidate) external nonReentrant {
        UnbondingPosition storage u = _unbonding[candidate][msg.sender];
        uint256 shares = u.shares;
        if (shares == 0) revert NothingToWithdraw();
        if (block.timestamp < u.releaseAt) revert UnbondingNotFinished(u.releaseAt);
        Candidate storage c = _candidates[candidate];
        uint256 amount = shares == c.unbondingShares ? c.unbondingValue : shares * c.unbondingValue / c.unbondingShares;
        c.unbondingShares -= shares;
        c.unbondingValue -= amount;
        u.shares = 0;
        u.releaseAt = 0;
        totalBonded -= amount;
        emit Withdrawn(msg.sender, candidate, amount);
        _push(msg.sender, amount);
    }


    /// @notice Registers `miner` for the caller; `consent` is the miner key's EIP-712 `Registration` signature.
    function registerMiner(address miner, string calldata intro, bytes calldata consent) external nonReentrant {
        _register(miner, Kind.Miner, intro, consent);
        emit MinerRegistered(msg.sender, miner, intro);
        _refresh(miner);
    }

    /// @notice Registers `coordinator` with its public enrolment `url`; `consent` as for `registerMiner`.
    function registerCoordinator(address coordinator, string calldata intro, string calldata url, bytes calldata consent)
        external
        nonReentrant
    {
        _checkUrl(url);
        _register(coordinator, Kind.Coordinator, intro, consent);
        _candidates[coordinator].url = url;
        emit CoordinatorRegistered(msg.sender, coordinator, intro, url);
        _refresh(coordinator);
    }

    /// @notice Changes the enrolment URL of the caller's registered coordinator.
    function setCoordinatorUrl(string calldata url) external nonReentrant {
        address coordinator = registrationOf[msg.sender];
        if (coordinator == address(0)) revert NotRegistered(msg.sender);
        Candidate storage c = _candidates[coordinator];
        if (c.kind != Kind.Coordinator) revert NotCoordinator(coordinator);
        _checkUrl(url);
        c.url = url;
        emit CoordinatorUrlChanged(coordinator, url);
    }

    /// @notice Lets a candidate key void a consent it signed and that has not been used yet.
    function revokeConsent() external nonReentrant {
        uint256 next = consentNonceOf[msg.sender] + 1;
        consentNonceOf[msg.sender] = next;
        emit ConsentRevoked(msg.sender, next);
    }

    /// @notice Ends the caller's registration. Its free stake backed the candidate, so it all moves to the
    /// candidate's unbonding pool, slashable there for the unbonding period. Votes stay until their voters
    /// take them back; the address may be registered again, by any staker, with its key's new consent.
    function deregister() external nonReentrant {
        address candidate = registrationOf[msg.sender];
        if (candidate == address(0)) revert NotRegistered(msg.sender);
        _candidates[candidate].registered = false;
        registrationOf[msg.sender] = address(0);
        uint256 free = stakeOf[msg.sender];
        if (free > 0) {
            stakeOf[msg.sender] = 0;
            (uint256 unbonding, uint256 releaseAt) = _unbond(msg.sender, candidate, free);
            emit UnstakeRequested(msg.sender, candidate, free, unbonding, releaseAt);
        }
        emit Deregistered(msg.sender, candidate);
        _refresh(candidate);
    }

    /// @notice Schedules the caller's commission (share of each reward for its miner, in bps) for the next
    /// epoch, at most `maxCommissionStepBps` away from the one in effect now. A later call replaces it.
    function setCommission(uint16 bps) external nonReentrant {
        if (bps > BPS) revert InvalidBps(bps);
        uint16 current = commissionOf(msg.sender);
        uint16 step = bps > current ? bps - current : current - bps;
        if (step > maxCommissionStepBps) revert CommissionStepTooLarge(current, bps, maxCommissionStepBps);
        uint256 effective = currentEpoch() + 1;
        _commission[msg.sender] = CommissionSchedule(true, current, bps, uint64(effective));
        emit CommissionChanged(msg.sender, bps, effective);
    }


    /// @notice Allocates `amount` of the caller's free stake to `candidate` as votes. They count in its weight
    /// and are slashable at once, and earn rewards from the next epoch boundary.
    function vote(address candidate, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Candidate storage c = _candidates[candidate];
        if (!c.registered) revert NotRegistered(candidate);
        address own = registrationOf[msg.sender];
        if (own != address(0)) revert StakeBacksRegistration(msg.sender, own);
        uint256 free = stakeOf[msg.sender];
        if (amount > free) revert InsufficientStake(free, amount);
        _settle(msg.sender, candidate);
        // Round shares down: a new voter never dilutes the ones already there. A pool never has fewer shares
        // than votes (slashes only shrink votes, unvotes burn shares rounded up), so `shares >= amount > 0`.
        uint256 shares = c.voteShares == 0 ? amount : amount * c.voteShares / c.votes;
        uint256 earningFrom = currentEpoch() + 1;
        stakeOf[msg.sender] = free - amount;
        c.votes += amount;
        c.voteShares += shares;
        c.pendingShares += shares;
        c.pendingEpoch = earningFrom;
        VotePosition storage p = _votes[candidate][msg.sender];
        p.shares += shares;
        p.pendingShares += shares;
        p.pendingEpoch = earningFrom;
        emit Voted(msg.sender, candidate, amount, shares, earningFrom);
        _refresh(candidate);
    }

    /// @notice Moves `amount` of the caller's votes on `candidate` into its unbonding position on the same
    /// candidate: no rewards from now on, slashable for the candidate until withdrawn after the period.
    function unvote(address candidate, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Candidate storage c = _candidates[candidate];
        _settle(msg.sender, candidate);
        VotePosition storage p = _votes[candidate][msg.sender];
        uint256 held = p.shares;
        uint256 value = _poolValue(held, c.votes, c.voteShares);
        if (amount > value) revert InsufficientVotes(value, amount);
        // Round shares burned up, so that what leaves never exceeds what the shares are worth.
        uint256 shares = amount == value ? held : _divUp(amount * c.voteShares, c.votes);
        // Pending shares go first: they have earned nothing yet.
        uint256 fromPending = shares < p.pendingShares ? shares : p.pendingShares;
        p.pendingShares -= fromPending;
        c.pendingShares -= fromPending;
        p.shares = held - shares;
        c.voteShares -= shares;
        c.votes -= amount;
        if (c.voteShares == 0) _retireRewardDust(c);
        (uint256 unbonding, uint256 releaseAt) = _unbond(msg.sender, candidate, amount);
        emit Unvoted(msg.sender, candidate, amount, shares, unbonding, releaseAt);
        _refresh(candidate);
    }


    /// @notice An active coordinator pays `amount` CAI (approved beforehand) for work an active `miner` did:
    /// the staker's commission first, the rest to the miner's earning voters pro rata (all to the staker if
    /// none).
    function depositReward(address miner, uint256 amount) external nonReentrant {
        if (!isActiveCoordinator(msg.sender)) revert NotActiveCoordinator(msg.sender);
        if (amount == 0) revert ZeroAmount();
        Candidate storage c = _candidates[miner];
        if (c.kind != Kind.Miner) revert NotMiner(miner);
        if (!c.registered) revert NotRegistered(miner);
        if (!c.active) revert InactiveMiner(miner);
        _activate(miner, c);
        uint256 commission = amount * commissionOf(c.staker) / BPS;
        uint256 toVoters = amount - commission;
        uint256 earning = c.voteShares - c.pendingShares;
        if (earning == 0) {
            commission = amount;
            toVoters = 0;
        } else {
            uint256 perShare = toVoters * ACC_PRECISION / earning;
            c.rewardPerShare += perShare;
            // Reserve the accumulator's worth rounded up, so that voters' payouts (each rounded down) never
            // exceed it; what it cannot represent goes to the staker, so every token is owed to someone.
            uint256 reserved = _divUp(perShare * earning, ACC_PRECISION);
            commission += toVoters - reserved;
            toVoters = reserved;
            c.voterRewardsUnsettled += reserved;
        }
        rewardsOf[c.staker] += commission;
        totalRewardsOwed += amount;
        emit RewardDeposited(msg.sender, miner, amount, commission, toVoters);
        _pull(msg.sender, amount);
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
        emit RewardsClaimed(msg.sender, amount);
        _push(msg.sender, amount);
    }

    /// @notice Sends what no stake or reward claims (rounding dust left by emptied vote pools, stray
    /// transfers) to the treasury. Anyone may call it.
    function sweepDust() external nonReentrant returns (uint256 amount) {
        amount = sweepable();
        if (amount == 0) revert NothingToSweep();
        emit DustSwept(treasury, amount);
        _push(treasury, amount);
    }


    /// @notice The active coordinator that signed `evidence.task` slashes `miner`, which signed a result for
    /// it that differs from the one at least `minWitnesses` other active miners of distinct stakers signed.
    /// Takes `slashBps` of the miner's staker's free stake (if still registered), of the miner's unbonding
    /// pool and of its votes, and burns it.
    function slash(address miner, Evidence calldata evidence) external nonReentrant {
        if (!isActiveCoordinator(msg.sender)) revert NotActiveCoordinator(msg.sender);
        Candidate storage c = _candidates[miner];
        if (c.kind != Kind.Miner) revert NotMiner(miner);
        Task calldata t = evidence.task;
        bytes32 evidenceId = keccak256(abi.encode(Kind.Miner, miner, msg.sender, t.taskId));
        if (evidenceUsed[evidenceId]) revert EvidenceAlreadyUsed(evidenceId);
        _expectSigner(assignmentDigest(t.taskId, t.modelId, t.inputDigest), evidence.assignmentSignature, msg.sender);
        _expectSigner(
            resultDigest(t.taskId, t.modelId, t.inputDigest, evidence.accusedOutput, msg.sender),
            evidence.accusedSignature,
            miner
        );
        if (evidence.accusedOutput == evidence.witnessOutput) revert OutputsAgree(evidence.witnessOutput);
        bytes[] calldata sigs = evidence.witnessSignatures;
        if (sigs.length < minWitnesses) revert NotEnoughWitnesses(sigs.length, minWitnesses);
        bytes32 witnessDigest = resultDigest(t.taskId, t.modelId, t.inputDigest, evidence.witnessOutput, msg.sender);
        address[] memory stakers = new address[](sigs.length + 1);
        stakers[0] = c.staker;
        for (uint256 i = 0; i < sigs.length; i++) {
            address witness = _recover(witnessDigest, sigs[i]);
            Candidate storage w = _candidates[witness];
            if (w.kind != Kind.Miner || !w.active) revert WitnessNotActiveMiner(witness);
            for (uint256 j = 0; j <= i; j++) {
                if (stakers[j] == w.staker) revert DuplicateStaker(w.staker);
            }
            stakers[i + 1] = w.staker;
        }
        _slash(miner, c, evidenceId);
    }

    /// @notice Anyone slashes `coordinator` with two assignments of one task it signed that contradict each
    /// other (another model or input), the same way as a miner.
    function slashCoordinator(
        address coordinator,
        Task calldata first,
        bytes calldata firstSignature,
        Task calldata second,
        bytes calldata secondSignature
    ) external nonReentrant {
        Candidate storage c = _candidates[coordinator];
        if (c.kind != Kind.Coordinator) revert NotCoordinator(coordinator);
        if (first.taskId != second.taskId) revert TaskMismatch(first.taskId, second.taskId);
        if (first.modelId == second.modelId && first.inputDigest == second.inputDigest) {
            revert AssignmentsAgree(first.taskId);
        }
        bytes32 evidenceId = keccak256(abi.encode(Kind.Coordinator, coordinator, coordinator, first.taskId));
        if (evidenceUsed[evidenceId]) revert EvidenceAlreadyUsed(evidenceId);
        _expectSigner(assignmentDigest(first.taskId, first.modelId, first.inputDigest), firstSignature, coordinator);
        _expectSigner(assignmentDigest(second.taskId, second.modelId, second.inputDigest), secondSignature, coordinator);
        _slash(coordinator, c, evidenceId);
    }


    function currentEpoch() public view returns (uint256) {
        return block.timestamp / epochLength;
    }

    /// @notice The commission in effect now.
    function commissionOf(address staker) public view returns (uint16) {
        CommissionSchedule storage s = _commission[staker];
        if (!s.set) return DEFAULT_COMMISSION_BPS;
        return currentEpoch() >= s.effectiveEpoch ? s.next : s.current;
    }

    /// @notice The commission now, the one scheduled and the epoch it takes effect (equal to now when none).
    function commissionScheduleOf(address staker)
        external
        view
        returns (uint16 current, uint16 next, uint256 effectiveEpoch)
    {
        CommissionSchedule storage s = _commission[staker];
        current = commissionOf(staker);
        if (s.set && currentEpoch() < s.effectiveEpoch) return (current, s.next, s.effectiveEpoch);
        return (current, current, currentEpoch());
    }

    /// @notice `staker`'s unbonding position on `candidate` (zero: stake that backed nothing): its value now
    /// and when it may be withdrawn.
    function unbondingOf(address staker, address candidate) external view returns (uint256 amount, uint256 releaseAt) {
        Candidate storage c = _candidates[candidate];
        UnbondingPosition storage u = _unbonding[candidate][staker];
        return (_poolValue(u.shares, c.unbondingValue, c.unbondingShares), u.releaseAt);
    }

    /// @notice Everything the node needs about one candidate address in one call (intro and URL apart).
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
        selfStake = registered ? stakeOf[staker] : 0;
        votes = c.votes;
        weight = registered ? selfStake + votes : 0;
        commissionBps = commissionOf(staker);
    }

    /// @notice A candidate's votes not yet earning and the epoch they start to (0, 0 when none), and the value
    /// of its unbonding pool (all of it slashable for the candidate).
    function poolsOf(address candidate)
        external
        view
        returns (uint256 pendingVotes, uint256 earningFromEpoch, uint256 unbonding)
    {
        Candidate storage c = _candidates[candidate];
        if (c.pendingShares > 0 && currentEpoch() < c.pendingEpoch) {
            pendingVotes = _poolValue(c.pendingShares, c.votes, c.voteShares);
            earningFromEpoch = c.pendingEpoch;
        }
        unbonding = c.unbondingValue;
    }

    /// @notice `voter`'s votes on `candidate`: their value now, the part not yet earning and the epoch it
    /// starts to (0 when all of it earns).
    function votePositionOf(address voter, address candidate)
        external
        view
        returns (uint256 value, uint256 pendingValue, uint256 earningFromEpoch)
    {
        Candidate storage c = _candidates[candidate];
        VotePosition storage p = _votes[candidate][voter];
        value = _poolValue(p.shares, c.votes, c.voteShares);
        if (p.pendingShares > 0 && currentEpoch() < p.pendingEpoch) {
            pendingValue = _poolValue(p.pendingShares, c.votes, c.voteShares);
            earningFromEpoch = p.pendingEpoch;
        }
    }

    function introOf(address candidate) external view returns (string memory) {
        return _candidates[candidate].intro;
    }

    /// @notice A coordinator's public enrolment URL (kept after it deregisters).
    function urlOf(address coordinator) external view returns (string memory) {
        return _candidates[coordinator].url;
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
        return _poolValue(_votes[candidate][voter].shares, c.votes, c.voteShares);
    }

    function voteSharesOf(address candidate, address voter) external view returns (uint256) {
        return _votes[candidate][voter].shares;
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
            Candidate storage c = _candidates[candidates[i]];
            (uint256 earned,) = _earned(candidates[i], c, _votes[candidates[i]][account]);
            amount += earned;
        }
    }

    /// @notice Tokens held that no stake or reward claims.
    function sweepable() public view returns (uint256) {
        return token.balanceOf(address(this)) - totalBonded - totalRewardsOwed;
    }


    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return block.chainid == _deployChainId ? _deployDomainSeparator : _buildDomainSeparator();
    }

    /// @notice The digest a miner signs for its result of a task given by `coordinator`.
    function resultDigest(bytes32 taskId, bytes32 modelId, bytes32 inputDigest, bytes32 outputDigest, address coordinator)
        public
        view
        returns (bytes32)
    {
        return _typed(keccak256(abi.encode(RESULT_TYPEHASH, taskId, modelId, inputDigest, outputDigest, coordinator)));
    }

    /// @notice The digest a coordinator signs when it assigns a task.
    function assignmentDigest(bytes32 taskId, bytes32 modelId, bytes32 inputDigest) public view returns (bytes32) {
        return _typed(keccak256(abi.encode(ASSIGNMENT_TYPEHASH, taskId, modelId, inputDigest)));
    }

    /// @notice The digest a candidate key signs to consent to its registration by `staker`
    /// (`kind`: 1 miner, 2 coordinator; `nonce`: its `consentNonceOf`).
    function registrationDigest(address staker, uint8 kind, string calldata intro, uint256 nonce)
        public
        view
        returns (bytes32)
    {
        return _typed(keccak256(abi.encode(REGISTRATION_TYPEHASH, staker, kind, keccak256(bytes(intro)), nonce)));
    }


    function _register(address candidate, Kind kind, string calldata intro, bytes calldata consent) private {
        if (candidate == address(0)) revert ZeroAddress();
        if (candidate == msg.sender) revert SelfRegistration(msg.sender);
        address existing = registrationOf[msg.sender];
        if (existing != address(0)) revert AlreadyRegistered(msg.sender, existing);
        Candidate storage c = _candidates[candidate];
        // An address keeps its kind for good: its vote and unbonding pools answer for what it did as that kind.
        if (c.registered || (c.kind != Kind.None && c.kind != kind)) revert AddressTaken(candidate);
        uint256 minimum = _minimumFor(kind);
        uint256 selfStake = stakeOf[msg.sender];
        if (selfStake <= minimum) revert BelowMinimum(selfStake, minimum);
        uint256 nonce = consentNonceOf[candidate];
        _expectSigner(registrationDigest(msg.sender, uint8(kind), intro, nonce), consent, candidate);
        consentNonceOf[candidate] = nonce + 1;
        c.kind = kind;
        c.staker = msg.sender;
        c.registered = true;
        c.intro = intro;
        registrationOf[msg.sender] = candidate;
    }

    function _slash(address candidate, Candidate storage c, bytes32 evidenceId) private {
        address staker = c.staker;
        uint256 epoch = currentEpoch();
        uint256 used = slashedBpsInEpoch[staker][epoch];
        uint256 usedHere = c.slashEpoch == uint32(epoch) ? c.slashedBps : 0;
        uint256 already = used > usedHere ? used : usedHere;
        uint16 bps = slashBps;
        if (already + bps > maxSlashBpsPerEpoch) revert EpochSlashCapExceeded(already, bps, maxSlashBpsPerEpoch);
        evidenceUsed[evidenceId] = true;
        slashedBpsInEpoch[staker][epoch] = used + bps;
        c.slashEpoch = uint32(epoch);
        c.slashedBps = uint16(usedHere + bps);
        // A deregistered candidate's staker moved its free stake into the unbonding pool, reached below.
        uint256 fromStake = c.registered ? stakeOf[staker] * bps / BPS : 0;
        uint256 fromUnbonding = c.unbondingValue * bps / BPS;
        uint256 fromVotes = c.votes * bps / BPS;
        stakeOf[staker] -= fromStake;
        c.unbondingValue -= fromUnbonding;
        c.votes -= fromVotes;
        uint256 total = fromStake + fromUnbonding + fromVotes;
        totalBonded -= total;
        totalSlashed += total;
        emit Slashed(candidate, msg.sender, evidenceId, bps, fromStake, fromUnbonding, fromVotes, total);
        _refresh(candidate);
        // Burned rather than paid to anyone, so that no one gains from a slash.
        if (total > 0) token.burn(total);
    }

    function _unbond(address staker, address candidate, uint256 amount)
        private
        returns (uint256 position, uint256 releaseAt)
    {
        Candidate storage c = _candidates[candidate];
        uint256 shares = c.unbondingShares == 0 ? amount : amount * c.unbondingShares / c.unbondingValue;
        c.unbondingValue += amount;
        c.unbondingShares += shares;
        UnbondingPosition storage u = _unbonding[candidate][staker];
        u.shares += shares;
        releaseAt = block.timestamp + unbondingPeriod;
        u.releaseAt = releaseAt;
        position = _poolValue(u.shares, c.unbondingValue, c.unbondingShares);
    }

    function _minimumFor(Kind kind) private view returns (uint256) {
        return kind == Kind.Coordinator ? minCoordinatorStake : minMinerStake;
    }

    function _checkUrl(string calldata url) private pure {
        if (bytes(url).length == 0 || bytes(url).length > MAX_URL_LENGTH) revert InvalidUrl(bytes(url).length);
    }

    function _refreshStaker(address staker) private {
        address candidate = registrationOf[staker];
        if (candidate != address(0)) _refresh(candidate);
    }

    /// @dev Re-derives `active` after any change to a candidate's self-stake, votes or registration,
    /// emitting the transition and the new weight.
    function _refresh(address candidate) private {
        Candidate storage c = _candidates[candidate];
        uint256 selfStake = c.registered ? stakeOf[c.staker] : 0;
        uint256 minimum = _minimumFor(c.kind);
        bool nowActive = c.registered && selfStake > minimum;
        if (nowActive && !c.active) {
            emit RegistrationActivated(candidate, selfStake);
        } else if (!nowActive && c.active) {
            emit RegistrationDeactivated(candidate, selfStake, minimum);
        }
        c.active = nowActive;
        emit WeightChanged(candidate, selfStake, c.votes, nowActive);
    }

    /// @dev Starts the pending batch earning once its epoch has come. Nothing changes a pool between the
    /// boundary and its first touch, so doing this lazily equals doing it at the boundary.
    function _activate(address candidate, Candidate storage c) private {
        if (c.pendingShares > 0 && currentEpoch() >= c.pendingEpoch) {
            _rewardPerShareAt[candidate][c.pendingEpoch] = c.rewardPerShare;
            c.pendingShares = 0;
        }
    }

    function _settle(address account, address candidate) private {
        Candidate storage c = _candidates[candidate];
        _activate(candidate, c);
        VotePosition storage p = _votes[candidate][account];
        (uint256 earned, bool matured) = _earned(candidate, c, p);
        if (matured) p.pendingShares = 0;
        p.paidRewardPerShare = c.rewardPerShare;
        if (earned > 0) {
            rewardsOf[account] += earned;
            c.voterRewardsUnsettled -= earned;
        }
    }

    /// @dev Rewards a position has earned since it was last settled; `matured` when its pending shares
    /// have started earning since.
    function _earned(address candidate, Candidate storage c, VotePosition storage p)
        private
        view
        returns (uint256 earned, bool matured)
    {
        uint256 rps = c.rewardPerShare;
        earned = (p.shares - p.pendingShares) * (rps - p.paidRewardPerShare) / ACC_PRECISION;
        if (p.pendingShares > 0 && currentEpoch() >= p.pendingEpoch) {
            matured = true;
            // Not yet activated means no deposit since the boundary: the accumulator is still where it was.
            uint256 start = c.pendingShares > 0 && c.pendingEpoch == p.pendingEpoch
                ? rps
                : _rewardPerShareAt[candidate][p.pendingEpoch];
            earned += p.pendingShares * (rps - start) / ACC_PRECISION;
        }
    }

    function _retireRewardDust(Candidate storage c) private {
        uint256 dust = c.voterRewardsUnsettled;
        if (dust > 0) {
            c.voterRewardsUnsettled = 0;
            totalRewardsOwed -= dust;
        }
    }

    function _poolValue(uint256 shares, uint256 value, uint256 totalShares) private pure returns (uint256) {
        if (shares == 0) return 0;
        return shares * value / totalShares;
    }

    function _divUp(uint256 a, uint256 b) private pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _typed(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR(), structHash));
    }

    function _expectSigner(bytes32 digest, bytes calldata signature, address expected) private pure {
        address recovered = _recover(digest, signature);
        if (recovered != expected) revert WrongSigner(expected, recovered);
    }

    /// @dev ecrecover with the checks it lacks: 65 bytes, v in {27, 28}, s in the lower half (no malleable
    /// twin), and a non-zero result.
    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
        if (signature.length != 65) revert InvalidSignature(digest);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := calldataload(signature.offset)
            s := calldataload(add(signature.offset, 32))
            v := byte(0, calldataload(add(signature.offset, 64)))
        }
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) revert InvalidSignature(digest);
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature(digest);
    }

    function _pull(address from, uint256 amount) private {
        if (!token.transferFrom(from, address(this), amount)) revert TransferFailed();
    }

    function _push(address to, uint256 amount) private {
        if (!token.transfer(to, amount)) revert TransferFailed();
    }
}
