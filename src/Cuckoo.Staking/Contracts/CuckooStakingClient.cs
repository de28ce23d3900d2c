using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking.Contracts.CuckooStaking;

namespace Cuckoo.Staking;

/// <summary>Typed access to a deployed CuckooStaking contract: every function, view and event (Nethereum messages in <see cref="CuckooStakingTypes"/>).</summary>
public sealed class CuckooStakingClient : ContractClient
{
    private readonly Address? _token;

    /// <param name="token">The CAI token, to decode its events in receipts too (null: staking events only).</param>
    public CuckooStakingClient(ChainClient client, Address address, ContractClientOptions? options = null, Address? token = null)
        : base("CuckooStaking", client, address, ErrorsWithToken, options)
    {
        _token = token;
    }

    protected override (Address? Staking, Address? Token) EventSources => (Address, _token);

    /// <summary>The staking contract's errors and then the token's, which bubble up through <c>stake</c> and <c>depositReward</c>.</summary>
    public static IReadOnlyList<Type> ErrorsWithToken { get; } = [.. CuckooStakingTypes.Errors, .. Contracts.CaiToken.CaiTokenTypes.Errors];

    /// <summary>Deploys the contract and returns a client for it.</summary>
    public static async Task<CuckooStakingClient> DeployAsync(
        TransactionSender sender, byte[] bytecode, Address token, StakingParameters parameters, ContractClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new ContractClientOptions();
        var deployment = new CuckooStakingDeployment
        {
            Token = token.ToString(), Treasury = parameters.Treasury.ToString(), MinMinerStake = parameters.MinMinerStake,
            MinCoordinatorStake = parameters.MinCoordinatorStake, UnbondingPeriod = (BigInteger)parameters.UnbondingPeriod.TotalSeconds,
            EpochLength = (BigInteger)parameters.EpochLength.TotalSeconds, MaxSlashBpsPerIncident = parameters.MaxSlashBpsPerIncident,
            MaxSlashBpsPerEpoch = parameters.MaxSlashBpsPerEpoch, ReporterShareBps = parameters.ReporterShareBps,
        };
        var address = await DeployAsync(sender, "CuckooStaking", bytecode, deployment, CuckooStakingTypes.Errors, options, cancellationToken).ConfigureAwait(false);
        return new CuckooStakingClient(sender.Client, address, options, token);
    }

    /// <summary>Bonds <paramref name="amount"/> wei of CAI (approve the contract on the token first).</summary>
    public Task<TransactionOutcome> StakeAsync(TransactionSender sender, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new StakeFunction { Amount = amount }, cancellationToken);

    public Task<TransactionOutcome> RequestUnstakeAsync(TransactionSender sender, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new RequestUnstakeFunction { Amount = amount }, cancellationToken);

    public Task<TransactionOutcome> WithdrawAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new WithdrawFunction(), cancellationToken);

    public Task<TransactionOutcome> RegisterMinerAsync(TransactionSender sender, Address miner, string intro, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new RegisterMinerFunction { Miner = miner.ToString(), Intro = intro ?? "" }, cancellationToken);

    public Task<TransactionOutcome> RegisterCoordinatorAsync(TransactionSender sender, Address coordinator, string intro, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new RegisterCoordinatorFunction { Coordinator = coordinator.ToString(), Intro = intro ?? "" }, cancellationToken);

    public Task<TransactionOutcome> DeregisterAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new DeregisterFunction(), cancellationToken);

    public Task<TransactionOutcome> SetCommissionAsync(TransactionSender sender, int bps, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new SetCommissionFunction { Bps = bps }, cancellationToken);

    public Task<TransactionOutcome> VoteAsync(TransactionSender sender, Address candidate, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new VoteFunction { Candidate = candidate.ToString(), Amount = amount }, cancellationToken);

    public Task<TransactionOutcome> UnvoteAsync(TransactionSender sender, Address candidate, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new UnvoteFunction { Candidate = candidate.ToString(), Amount = amount }, cancellationToken);

    /// <summary>An active coordinator pays a reward for <paramref name="miner"/> (approve the contract on the token first).</summary>
    public Task<TransactionOutcome> DepositRewardAsync(TransactionSender sender, Address miner, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new DepositRewardFunction { Miner = miner.ToString(), Amount = amount }, cancellationToken);

    /// <summary>Settles vote rewards on <paramref name="candidates"/> and pays everything owed to the sender.</summary>
    public Task<TransactionOutcome> ClaimAsync(TransactionSender sender, IReadOnlyList<Address> candidates, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new ClaimFunction { Candidates = candidates.Select(c => c.ToString()).ToList() }, cancellationToken);

    /// <summary>An active coordinator slashes <paramref name="bps"/> of a miner's stake and votes for the evidence with this hash.</summary>
    public Task<TransactionOutcome> SlashAsync(TransactionSender sender, Address miner, int bps, byte[] evidenceHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evidenceHash);
        if (evidenceHash.Length != 32)
        {
            throw new ArgumentException("The evidence hash is 32 bytes (a Keccak-256 digest).", nameof(evidenceHash));
        }
        return SendAsync(sender, new SlashFunction { Miner = miner.ToString(), Bps = bps, EvidenceHash = evidenceHash }, cancellationToken);
    }

    public async Task<StakingParameters> GetParametersAsync()
    {
        var treasury = QueryAsync<TreasuryFunction, string>(new());
        var minMiner = QueryAsync<MinMinerStakeFunction, BigInteger>(new());
        var minCoordinator = QueryAsync<MinCoordinatorStakeFunction, BigInteger>(new());
        var unbonding = QueryAsync<UnbondingPeriodFunction, BigInteger>(new());
        var epoch = QueryAsync<EpochLengthFunction, BigInteger>(new());
        var incident = QueryAsync<MaxSlashBpsPerIncidentFunction, BigInteger>(new());
        var perEpoch = QueryAsync<MaxSlashBpsPerEpochFunction, BigInteger>(new());
        var reporter = QueryAsync<ReporterShareBpsFunction, BigInteger>(new());
        await Task.WhenAll(treasury, minMiner, minCoordinator, unbonding, epoch, incident, perEpoch, reporter).ConfigureAwait(false);
        return new StakingParameters
        {
            Treasury = Address.Parse(treasury.Result), MinMinerStake = minMiner.Result, MinCoordinatorStake = minCoordinator.Result,
            UnbondingPeriod = TimeSpan.FromSeconds((double)unbonding.Result), EpochLength = TimeSpan.FromSeconds((double)epoch.Result),
            MaxSlashBpsPerIncident = (int)incident.Result, MaxSlashBpsPerEpoch = (int)perEpoch.Result, ReporterShareBps = (int)reporter.Result,
        };
    }

    public async Task<Address> TokenAsync() => Address.Parse(await QueryAsync<TokenFunction, string>(new()).ConfigureAwait(false));

    /// <summary>Free bonded stake: the staker's self-stake.</summary>
    public Task<BigInteger> StakeOfAsync(Address staker) => QueryAsync<StakeOfFunction, BigInteger>(new() { Staker = staker.ToString() });

    public async Task<Unbonding> UnbondingOfAsync(Address staker)
    {
        var r = await QueryOutputAsync<UnbondingOfFunction, UnbondingOfOutput>(new() { Staker = staker.ToString() }).ConfigureAwait(false);
        return new Unbonding(r.Amount, r.ReleaseAt.IsZero ? null : DateTimeOffset.FromUnixTimeSeconds((long)r.ReleaseAt));
    }

    /// <summary>The address the staker registered, or null.</summary>
    public async Task<Address?> RegistrationOfAsync(Address staker)
    {
        var candidate = Address.Parse(await QueryAsync<RegistrationOfFunction, string>(new() { Staker = staker.ToString() }).ConfigureAwait(false));
        return candidate.IsZero ? null : candidate;
    }

    public async Task<CandidateInfo> CandidateOfAsync(Address candidate)
    {
        var info = QueryOutputAsync<CandidateOfFunction, CandidateOfOutput>(new() { Candidate = candidate.ToString() });
        var intro = IntroOfAsync(candidate);
        await Task.WhenAll(info, intro).ConfigureAwait(false);
        var r = info.Result;
        return new CandidateInfo(
            candidate, (CandidateKind)(int)r.Kind, Address.Parse(r.Staker), r.Registered, r.Active, r.SelfStake, r.Votes, r.Weight, (int)r.CommissionBps, intro.Result);
    }

    public Task<string> IntroOfAsync(Address candidate) => QueryAsync<IntroOfFunction, string>(new() { Candidate = candidate.ToString() });

    public Task<BigInteger> WeightOfAsync(Address candidate) => QueryAsync<WeightOfFunction, BigInteger>(new() { Candidate = candidate.ToString() });

    public Task<BigInteger> VotesForAsync(Address candidate) => QueryAsync<VotesForFunction, BigInteger>(new() { Candidate = candidate.ToString() });

    /// <summary>What the voter's votes on the candidate are worth now (after slashes).</summary>
    public Task<BigInteger> VoteOfAsync(Address voter, Address candidate) =>
        QueryAsync<VoteOfFunction, BigInteger>(new() { Voter = voter.ToString(), Candidate = candidate.ToString() });

    public Task<BigInteger> VoteSharesOfAsync(Address candidate, Address voter) =>
        QueryAsync<VoteSharesOfFunction, BigInteger>(new() { Candidate = candidate.ToString(), Voter = voter.ToString() });

    public Task<bool> IsActiveMinerAsync(Address candidate) => QueryAsync<IsActiveMinerFunction, bool>(new() { Candidate = candidate.ToString() });

    public Task<bool> IsActiveCoordinatorAsync(Address candidate) => QueryAsync<IsActiveCoordinatorFunction, bool>(new() { Candidate = candidate.ToString() });

    public async Task<int> CommissionOfAsync(Address staker) =>
        (int)await QueryAsync<CommissionOfFunction, BigInteger>(new() { Staker = staker.ToString() }).ConfigureAwait(false);

    /// <summary>Settled, unclaimed rewards (commissions and settled vote rewards).</summary>
    public Task<BigInteger> RewardsOfAsync(Address account) => QueryAsync<RewardsOfFunction, BigInteger>(new() { Account = account.ToString() });

    /// <summary>Settled rewards plus those pending on <paramref name="candidates"/>.</summary>
    public Task<BigInteger> ClaimableAsync(Address account, IReadOnlyList<Address> candidates) =>
        QueryAsync<ClaimableFunction, BigInteger>(new() { Account = account.ToString(), Candidates = candidates.Select(c => c.ToString()).ToList() });

    public async Task<int> SlashedBpsInEpochAsync(Address miner, BigInteger epoch) =>
        (int)await QueryAsync<SlashedBpsInEpochFunction, BigInteger>(new() { Miner = miner.ToString(), Epoch = epoch }).ConfigureAwait(false);

    public Task<BigInteger> CurrentEpochAsync() => QueryAsync<CurrentEpochFunction, BigInteger>(new());

    public Task<BigInteger> TotalBondedAsync() => QueryAsync<TotalBondedFunction, BigInteger>(new());

    public Task<BigInteger> TotalRewardsOwedAsync() => QueryAsync<TotalRewardsOwedFunction, BigInteger>(new());

    public async Task<int> DefaultCommissionBpsAsync() => (int)await QueryAsync<DefaultCommissionBpsFunction, BigInteger>(new()).ConfigureAwait(false);

    /// <summary>This contract's events in a block range (both ends inclusive), in chain order.</summary>
    public async Task<IReadOnlyList<ContractEvent>> GetEventsAsync(long fromBlock, long toBlock, CancellationToken cancellationToken = default)
    {
        var logs = await Client.GetLogsAsync(
            new LogFilter { FromBlock = fromBlock, ToBlock = toBlock, Addresses = [Address] }, cancellationToken).ConfigureAwait(false);
        var events = new List<ContractEvent>(logs.Count);
        foreach (var log in logs)
        {
            if (ContractEventDecoder.TryDecodeStaking(log, out var decoded))
            {
                events.Add(decoded!);
            }
        }
        return events;
    }
}
