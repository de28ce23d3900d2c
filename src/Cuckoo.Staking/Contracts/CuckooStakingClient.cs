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
            EpochLength = (BigInteger)parameters.EpochLength.TotalSeconds, SlashBps = parameters.SlashBps,
            MaxSlashBpsPerEpoch = parameters.MaxSlashBpsPerEpoch, MinWitnesses = parameters.MinWitnesses,
            MaxCommissionStepBps = parameters.MaxCommissionStepBps,
        };
        var address = await DeployAsync(sender, "CuckooStaking", bytecode, deployment, CuckooStakingTypes.Errors, options, cancellationToken).ConfigureAwait(false);
        return new CuckooStakingClient(sender.Client, address, options, token);
    }

    /// <summary>Bonds <paramref name="amount"/> wei of CAI (approve the contract on the token first).</summary>
    public Task<TransactionOutcome> StakeAsync(TransactionSender sender, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new StakeFunction { Amount = amount }, cancellationToken);

    public Task<TransactionOutcome> RequestUnstakeAsync(TransactionSender sender, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new RequestUnstakeFunction { Amount = amount }, cancellationToken);

    /// <summary>Pays out the sender's released unbonding position on <paramref name="candidate"/> (<see cref="Address.Zero"/>: stake that backed nothing).</summary>
    public Task<TransactionOutcome> WithdrawAsync(TransactionSender sender, Address candidate, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new WithdrawFunction { Candidate = candidate.ToString() }, cancellationToken);

    /// <summary>Registers <paramref name="miner"/> for the sender; <paramref name="consent"/> is the miner key's <c>Registration</c> signature (<see cref="StakingTypedData.SignRegistration"/>).</summary>
    public Task<TransactionOutcome> RegisterMinerAsync(TransactionSender sender, Address miner, string intro, byte[] consent, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new RegisterMinerFunction { Miner = miner.ToString(), Intro = intro ?? "", Consent = consent ?? [] }, cancellationToken);

    public Task<TransactionOutcome> RegisterCoordinatorAsync(
        TransactionSender sender, Address coordinator, string intro, string url, byte[] consent, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new RegisterCoordinatorFunction { Coordinator = coordinator.ToString(), Intro = intro ?? "", Url = url ?? "", Consent = consent ?? [] }, cancellationToken);

    /// <summary>Changes the enrolment URL of the sender's registered coordinator.</summary>
    public Task<TransactionOutcome> SetCoordinatorUrlAsync(TransactionSender sender, string url, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new SetCoordinatorUrlFunction { Url = url ?? "" }, cancellationToken);

    /// <summary>Sent by a candidate key: voids the consent it signed last and has not been used.</summary>
    public Task<TransactionOutcome> RevokeConsentAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new RevokeConsentFunction(), cancellationToken);

    /// <summary>Sends the rounding dust the contract holds beyond every claim to the treasury.</summary>
    public Task<TransactionOutcome> SweepDustAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new SweepDustFunction(), cancellationToken);

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

    /// <summary>The sending coordinator slashes a miner on evidence the contract verifies (<see cref="StakingTypedData.Evidence"/>).</summary>
    public Task<TransactionOutcome> SlashAsync(TransactionSender sender, Address miner, EvidenceStruct evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return SendAsync(sender, new SlashFunction { Miner = miner.ToString(), Evidence = evidence }, cancellationToken);
    }

    /// <summary>Anyone slashes a coordinator with two contradicting assignments of one task that it signed.</summary>
    public Task<TransactionOutcome> SlashCoordinatorAsync(
        TransactionSender sender, Address coordinator, StakingTask first, byte[] firstSignature, StakingTask second, byte[] secondSignature,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return SendAsync(sender, new SlashCoordinatorFunction
        {
            Coordinator = coordinator.ToString(), First = first.ToStruct(), FirstSignature = firstSignature ?? [],
            Second = second.ToStruct(), SecondSignature = secondSignature ?? [],
        }, cancellationToken);
    }

    public async Task<StakingParameters> GetParametersAsync()
    {
        var treasury = QueryAsync<TreasuryFunction, string>(new());
        var minMiner = QueryAsync<MinMinerStakeFunction, BigInteger>(new());
        var minCoordinator = QueryAsync<MinCoordinatorStakeFunction, BigInteger>(new());
        var unbonding = QueryAsync<UnbondingPeriodFunction, BigInteger>(new());
        var epoch = QueryAsync<EpochLengthFunction, BigInteger>(new());
        var slash = QueryAsync<SlashBpsFunction, BigInteger>(new());
        var perEpoch = QueryAsync<MaxSlashBpsPerEpochFunction, BigInteger>(new());
        var witnesses = QueryAsync<MinWitnessesFunction, BigInteger>(new());
        var step = QueryAsync<MaxCommissionStepBpsFunction, BigInteger>(new());
        await Task.WhenAll(treasury, minMiner, minCoordinator, unbonding, epoch, slash, perEpoch, witnesses, step).ConfigureAwait(false);
        return new StakingParameters
        {
            Treasury = Address.Parse(treasury.Result), MinMinerStake = minMiner.Result, MinCoordinatorStake = minCoordinator.Result,
            UnbondingPeriod = TimeSpan.FromSeconds((double)unbonding.Result), EpochLength = TimeSpan.FromSeconds((double)epoch.Result),
            SlashBps = (int)slash.Result, MaxSlashBpsPerEpoch = (int)perEpoch.Result, MinWitnesses = (int)witnesses.Result,
            MaxCommissionStepBps = (int)step.Result,
        };
    }

    /// <summary>The epoch length: votes earn from the next epoch, commissions change at one, slash caps count per epoch.</summary>
    public async Task<TimeSpan> EpochLengthAsync() => TimeSpan.FromSeconds((double)await QueryAsync<EpochLengthFunction, BigInteger>(new()).ConfigureAwait(false));

    public async Task<Address> TokenAsync() => Address.Parse(await QueryAsync<TokenFunction, string>(new()).ConfigureAwait(false));

    /// <summary>Free bonded stake: the staker's self-stake.</summary>
    public Task<BigInteger> StakeOfAsync(Address staker) => QueryAsync<StakeOfFunction, BigInteger>(new() { Staker = staker.ToString() });

    /// <summary>The staker's unbonding position on a candidate's pool (<see cref="Address.Zero"/>: stake that backed nothing), at its value after slashes.</summary>
    public async Task<Unbonding> UnbondingOfAsync(Address staker, Address candidate)
    {
        var r = await QueryOutputAsync<UnbondingOfFunction, UnbondingOfOutput>(new() { Staker = staker.ToString(), Candidate = candidate.ToString() }).ConfigureAwait(false);
        return new Unbonding(candidate, r.Amount, r.ReleaseAt.IsZero ? null : DateTimeOffset.FromUnixTimeSeconds((long)r.ReleaseAt));
    }

    public async Task<VotePosition> VotePositionOfAsync(Address voter, Address candidate)
    {
        var r = await QueryOutputAsync<VotePositionOfFunction, VotePositionOfOutput>(new() { Voter = voter.ToString(), Candidate = candidate.ToString() }).ConfigureAwait(false);
        return new VotePosition(r.Value, r.PendingValue, r.EarningFromEpoch);
    }

    public async Task<CandidatePools> PoolsOfAsync(Address candidate)
    {
        var r = await QueryOutputAsync<PoolsOfFunction, PoolsOfOutput>(new() { Candidate = candidate.ToString() }).ConfigureAwait(false);
        return new CandidatePools(r.PendingVotes, r.EarningFromEpoch, r.Unbonding);
    }

    public async Task<CommissionSchedule> CommissionScheduleOfAsync(Address staker)
    {
        var r = await QueryOutputAsync<CommissionScheduleOfFunction, CommissionScheduleOfOutput>(new() { Staker = staker.ToString() }).ConfigureAwait(false);
        return new CommissionSchedule((int)r.Current, (int)r.Next, r.EffectiveEpoch);
    }

    /// <summary>A coordinator's public enrolment URL ("" for other addresses).</summary>
    public Task<string> UrlOfAsync(Address coordinator) => QueryAsync<UrlOfFunction, string>(new() { Coordinator = coordinator.ToString() });

    /// <summary>The nonce the candidate key's next <c>Registration</c> consent must carry.</summary>
    public Task<BigInteger> ConsentNonceOfAsync(Address candidate) => QueryAsync<ConsentNonceOfFunction, BigInteger>(new() { Candidate = candidate.ToString() });

    public Task<bool> EvidenceUsedAsync(byte[] evidenceId) => QueryAsync<EvidenceUsedFunction, bool>(new() { EvidenceId = evidenceId });

    public Task<BigInteger> TotalSlashedAsync() => QueryAsync<TotalSlashedFunction, BigInteger>(new());

    public Task<BigInteger> SweepableAsync() => QueryAsync<SweepableFunction, BigInteger>(new());

    public async Task<int> MaxUrlLengthAsync() => (int)await QueryAsync<MaxUrlLengthFunction, BigInteger>(new()).ConfigureAwait(false);

    public Task<byte[]> DomainSeparatorAsync() => QueryAsync<DomainSeparatorFunction, byte[]>(new());

    public Task<byte[]> ResultDigestAsync(StakingTask task, byte[] outputDigest, Address coordinator)
    {
        ArgumentNullException.ThrowIfNull(task);
        return QueryAsync<ResultDigestFunction, byte[]>(new()
        {
            TaskId = task.TaskId, ModelId = task.ModelId, InputDigest = task.InputDigest, OutputDigest = outputDigest, Coordinator = coordinator.ToString(),
        });
    }

    public Task<byte[]> AssignmentDigestAsync(StakingTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return QueryAsync<AssignmentDigestFunction, byte[]>(new() { TaskId = task.TaskId, ModelId = task.ModelId, InputDigest = task.InputDigest });
    }

    public Task<byte[]> RegistrationDigestAsync(Address staker, CandidateKind kind, string intro, BigInteger nonce) =>
        QueryAsync<RegistrationDigestFunction, byte[]>(new() { Staker = staker.ToString(), Kind = (int)kind, Intro = intro ?? "", ConsentNonce = nonce });

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

    /// <summary>What the staker's registrations were slashed in an epoch (the per-staker cap counts this).</summary>
    public async Task<int> SlashedBpsInEpochAsync(Address staker, BigInteger epoch) =>
        (int)await QueryAsync<SlashedBpsInEpochFunction, BigInteger>(new() { Staker = staker.ToString(), Epoch = epoch }).ConfigureAwait(false);

    /// <summary>When an epoch starts (epochs are <c>block.timestamp / epochLength</c>).</summary>
    public static DateTimeOffset EpochStart(BigInteger epoch, TimeSpan epochLength) =>
        DateTimeOffset.FromUnixTimeSeconds((long)(epoch * (BigInteger)epochLength.TotalSeconds));

    public Task<BigInteger> CurrentEpochAsync() => QueryAsync<CurrentEpochFunction, BigInteger>(new());

    public Task<BigInteger> TotalBondedAsync() => QueryAsync<TotalBondedFunction, BigInteger>(new());

    public Task<BigInteger> TotalRewardsOwedAsync() => QueryAsync<TotalRewardsOwedFunction, BigInteger>(new());

    public async Task<int> DefaultCommissionBpsAsync() => (int)await QueryAsync<DefaultCommissionBpsFunction, BigInteger>(new()).ConfigureAwait(false);

    /// <summary>Blocks per log query in <see cref="GetEventsInWindowsAsync"/>: public RPC providers cap eth_getLogs ranges, commonly at a few thousand blocks.</summary>
    public const long LogWindow = 2_000;

    /// <summary>
    /// This contract's events in a block range (both ends inclusive), in chain order, queried <see cref="LogWindow"/>
    /// blocks at a time, for ranges that may be long (from deployment, or since a node was last up).
    /// </summary>
    public async IAsyncEnumerable<ContractEvent> GetEventsInWindowsAsync(
        long fromBlock, long toBlock, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var from = Math.Max(0, fromBlock); from <= toBlock; from += LogWindow)
        {
            foreach (var e in await GetEventsAsync(from, Math.Min(toBlock, from + LogWindow - 1), cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
    }

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
