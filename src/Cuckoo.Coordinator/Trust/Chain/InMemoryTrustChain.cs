using System.Numerics;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>The twin's contract parameters; the defaults are the devnet's (<see cref="StakingParameters"/>).</summary>
public sealed record InMemoryTrustChainSettings
{
    /// <summary>Witness signatures a slash needs: 2.</summary>
    public int MinWitnesses { get; init; } = 2;

    /// <summary>What one slash takes: 1,000 bps (10%).</summary>
    public int SlashBps { get; init; } = 1_000;

    /// <summary>Most one staker loses per epoch: 2,000 bps.</summary>
    public int MaxSlashBpsPerEpoch { get; init; } = 2_000;

    /// <summary>Self-stake a miner must stay above to be active (strictly, as the contract): 20,000 CAI.</summary>
    public BigInteger MinMinerStake { get; init; } = Cai.Tokens(20_000);

    /// <summary>The coordinator's CAI (wei) to pay rewards from: 1,000,000 CAI.</summary>
    public BigInteger CoordinatorBalance { get; init; } = Cai.Tokens(1_000_000);
}

/// <summary>One slash the twin applied.</summary>
public sealed record InMemorySlash(string EvidenceId, Address Miner, Address Staker, int Bps, BigInteger Burned, long Epoch, string TransactionHash);

/// <summary>
/// The staking contract's <c>slash</c> and <c>depositReward</c> in memory, for the simulation: the same checks in the
/// same order with the same error words (<see cref="TrustChainErrors"/>), so it passes the conformance suite the
/// contract passes. It keeps self-stakes only (no votes or unbonding pools), and the epoch is whatever
/// <see cref="Epoch"/> is set to. Thread-safe.
/// </summary>
public sealed partial class InMemoryTrustChain : ITrustChain
{
    private readonly object _gate = new();
    private readonly Dictionary<Address, MinerState> _miners = [];
    private readonly Dictionary<Address, BigInteger> _stakes = [];
    private readonly Dictionary<(Address Staker, long Epoch), int> _slashedBpsInEpoch = [];
    private readonly Dictionary<Address, BigInteger> _rewardsByMiner = [];
    private readonly Dictionary<Address, BigInteger> _rewardsByStaker = [];
    private readonly HashSet<string> _usedEvidence = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<InMemorySlash> _slashes = [];
    private readonly List<(long Block, Address Miner, BigInteger Amount, string Hash)> _deposited = [];
    private BigInteger _balance;
    private long _transactions;

    /// <param name="typed">The domain the signatures are checked in, as the contract's own.</param>
    /// <param name="coordinator">The address this chain sends from, an active coordinator until <see cref="CoordinatorActive"/> says otherwise.</param>
    public InMemoryTrustChain(StakingTypedData typed, Address coordinator, InMemoryTrustChainSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(typed);
        Typed = typed;
        Coordinator = coordinator;
        Settings = settings ?? new InMemoryTrustChainSettings();
        if (Settings.SlashBps <= 0 || Settings.SlashBps > Settings.MaxSlashBpsPerEpoch || Settings.MaxSlashBpsPerEpoch >= 10_000 || Settings.MinWitnesses <= 0)
        {
            throw new ArgumentException("Slash bps must be in 1..cap, the cap below 10,000, and at least one witness needed.", nameof(settings));
        }
        _balance = Settings.CoordinatorBalance;
    }

    public StakingTypedData Typed { get; }

    public Address Coordinator { get; }

    public InMemoryTrustChainSettings Settings { get; }

    /// <summary>Whether the coordinator may slash and pay (the contract's <c>isActiveCoordinator</c>).</summary>
    public bool CoordinatorActive { get; set; } = true;

    /// <summary>The contract's <c>currentEpoch()</c>: the window of the per-staker slash cap.</summary>
    public long Epoch
    {
        get { lock (_gate) { return _epoch; } }
        set { lock (_gate) { _epoch = value; } }
    }

    private long _epoch;

    /// <summary>
    /// Registers <paramref name="miner"/> for <paramref name="staker"/> with that self-stake (a staker backs one candidate);
    /// active when the stake is above <see cref="InMemoryTrustChainSettings.MinMinerStake"/>.
    /// </summary>
    public void AddMiner(Address miner, Address staker, BigInteger selfStake)
    {
        lock (_gate)
        {
            if (_miners.ContainsKey(miner) || _miners.Values.Any(m => m.Staker == staker && m.Registered))
            {
                throw new InvalidOperationException($"{miner} or its staker {staker} is already registered.");
            }
            _miners[miner] = new MinerState(staker) { Active = selfStake > Settings.MinMinerStake };
            _stakes[staker] = selfStake;
        }
    }

    /// <summary>Marks a miner active or not, as its stake or registration would on chain.</summary>
    public void SetActive(Address miner, bool active)
    {
        lock (_gate)
        {
            Miner(miner).Active = active;
        }
    }

    /// <summary>Deregisters a miner: it stays a miner that can be slashed, no longer active, and its staker may register another.</summary>
    public void Deregister(Address miner)
    {
        lock (_gate)
        {
            var m = Miner(miner);
            (m.Registered, m.Active) = (false, false);
        }
    }

    public BigInteger StakeOf(Address staker)
    {
        lock (_gate)
        {
            return _stakes.GetValueOrDefault(staker);
        }
    }

    /// <summary>Rewards deposited for a miner's work.</summary>
    public BigInteger RewardsOf(Address miner)
    {
        lock (_gate)
        {
            return _rewardsByMiner.GetValueOrDefault(miner);
        }
    }

    /// <summary>What a staker could claim: all its miner's rewards, as the contract pays a miner without voters.</summary>
    public BigInteger ClaimableOf(Address staker)
    {
        lock (_gate)
        {
            return _rewardsByStaker.GetValueOrDefault(staker);
        }
    }

    public IReadOnlyList<InMemorySlash> Slashes
    {
        get { lock (_gate) { return [.. _slashes]; } }
    }

    public Task<int> MinWitnessesAsync(CancellationToken cancellationToken) => Task.FromResult(Settings.MinWitnesses);

    public Task<BigInteger> RewardBalanceAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_balance);
        }
    }

    /// <summary>Each transaction is a block of its own here, numbered as the transactions are counted.</summary>
    public Task<long> DepositMarkAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_transactions + 1);
        }
    }

    /// <summary>Nothing is ever pending: a call here is mined when it returns.</summary>
    public Task<DepositSearch> FindDepositAsync(Address miner, BigInteger amount, long fromBlock, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var found = _deposited.FirstOrDefault(d => d.Block >= fromBlock && d.Miner == miner && d.Amount == amount);
            return Task.FromResult(found.Hash is { } hash ? DepositSearch.Found(hash) : DepositSearch.NotFound);
        }
    }

    public Task<ChainOutcome> DepositRewardAsync(Address miner, BigInteger amount, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(DepositReward(miner, amount));
        }
    }

    private ChainOutcome DepositReward(Address miner, BigInteger amount)
    {
        if (amount.Sign < 0)
        {
            return TrustChainErrors.NegativeAmount(amount);
        }
        if (!CoordinatorActive)
        {
            return TrustChainErrors.NotActiveCoordinator(Coordinator);
        }
        if (amount.Sign <= 0)
        {
            return TrustChainErrors.ZeroAmount();
        }
        if (!_miners.TryGetValue(miner, out var m))
        {
            return TrustChainErrors.NotMiner(miner);
        }
        if (!m.Registered)
        {
            return TrustChainErrors.NotRegistered(miner);
        }
        if (!m.Active)
        {
            return TrustChainErrors.InactiveMiner(miner);
        }
        // The token's transferFrom after the allowance the real chain approves first.
        if (_balance < amount)
        {
            return TrustChainErrors.InsufficientBalance(Coordinator, _balance, amount);
        }
        _balance -= amount;
        _rewardsByMiner[miner] = _rewardsByMiner.GetValueOrDefault(miner) + amount;
        _rewardsByStaker[m.Staker] = _rewardsByStaker.GetValueOrDefault(m.Staker) + amount;
        var hash = NextTransactionHash();
        _deposited.Add((_transactions, miner, amount, hash));
        return ChainOutcome.Success(hash);
    }

    private MinerState Miner(Address miner) =>
        _miners.TryGetValue(miner, out var m) ? m : throw new KeyNotFoundException($"{miner} is not a miner of this chain.");

    private string NextTransactionHash() =>
        Cuckoo.Chain.Hex.Encode(Cuckoo.Chain.Keccak256.Hash($"in-memory transaction {++_transactions}"));

    private sealed class MinerState(Address staker)
    {
        public Address Staker { get; } = staker;

        public bool Registered { get; set; } = true;

        public bool Active { get; set; }

        // The contract's per-candidate tally: slashEpoch and slashedBps.
        public long SlashEpoch { get; set; } = -1;

        public int SlashedBps { get; set; }
    }
}
