using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Staking;

/// <summary>Typed access to a deployed CuckooStaking contract: every function, view and event.</summary>
public sealed class CuckooStakingClient : ContractClient
{
    private readonly Address? _token;

    /// <param name="token">The CAI token, to decode its events in receipts too (null: staking events only).</param>
    public CuckooStakingClient(JsonRpcClient client, Address address, ContractClientOptions? options = null, Address? token = null)
        : base("CuckooStaking", client, address, CuckooStakingAbi.WithTokenErrors, options)
    {
        _token = token;
    }

    protected override (Address? Staking, Address? Token) EventSources => (Address, _token);

    /// <summary>Deploys the contract and returns a client for it.</summary>
    public static async Task<CuckooStakingClient> DeployAsync(
        TransactionSender sender, byte[] bytecode, Address token, StakingParameters parameters, ContractClientOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new ContractClientOptions();
        var address = await DeployAsync(
            sender, "CuckooStaking", bytecode,
            ["address", "address", "uint256", "uint256", "uint256", "uint256", "uint16", "uint16", "uint16"],
            [token, parameters.Treasury, parameters.MinMinerStake, parameters.MinCoordinatorStake,
             (BigInteger)parameters.UnbondingPeriod.TotalSeconds, (BigInteger)parameters.EpochLength.TotalSeconds,
             parameters.MaxSlashBpsPerIncident, parameters.MaxSlashBpsPerEpoch, parameters.ReporterShareBps],
            options, cancellationToken).ConfigureAwait(false);
        return new CuckooStakingClient(sender.Client, address, options, token);
    }

    /// <summary>Bonds <paramref name="amount"/> wei of CAI (approve the contract on the token first).</summary>
    public Task<TransactionOutcome> StakeAsync(TransactionSender sender, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "stake", [amount], cancellationToken);

    public Task<TransactionOutcome> RequestUnstakeAsync(TransactionSender sender, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "requestUnstake", [amount], cancellationToken);

    public Task<TransactionOutcome> WithdrawAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "withdraw", [], cancellationToken);

    public Task<TransactionOutcome> RegisterMinerAsync(TransactionSender sender, Address miner, string intro, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "registerMiner", [miner, intro ?? ""], cancellationToken);

    public Task<TransactionOutcome> RegisterCoordinatorAsync(TransactionSender sender, Address coordinator, string intro, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "registerCoordinator", [coordinator, intro ?? ""], cancellationToken);

    public Task<TransactionOutcome> DeregisterAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "deregister", [], cancellationToken);

    public Task<TransactionOutcome> SetCommissionAsync(TransactionSender sender, int bps, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "setCommission", [bps], cancellationToken);

    public Task<TransactionOutcome> VoteAsync(TransactionSender sender, Address candidate, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "vote", [candidate, amount], cancellationToken);

    public Task<TransactionOutcome> UnvoteAsync(TransactionSender sender, Address candidate, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "unvote", [candidate, amount], cancellationToken);

    /// <summary>An active coordinator pays a reward for <paramref name="miner"/> (approve the contract on the token first).</summary>
    public Task<TransactionOutcome> DepositRewardAsync(TransactionSender sender, Address miner, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "depositReward", [miner, amount], cancellationToken);

    /// <summary>Settles vote rewards on <paramref name="candidates"/> and pays everything owed to the sender.</summary>
    public Task<TransactionOutcome> ClaimAsync(TransactionSender sender, IReadOnlyList<Address> candidates, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "claim", [candidates.Cast<object?>().ToArray()], cancellationToken);

    /// <summary>An active coordinator slashes <paramref name="bps"/> of a miner's stake and votes for the evidence with this hash.</summary>
    public Task<TransactionOutcome> SlashAsync(TransactionSender sender, Address miner, int bps, byte[] evidenceHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evidenceHash);
        if (evidenceHash.Length != 32)
        {
            throw new ArgumentException("The evidence hash is 32 bytes (a Keccak-256 digest).", nameof(evidenceHash));
        }
        return SendAsync(sender, "slash", [miner, bps, evidenceHash], cancellationToken);
    }

    public async Task<StakingParameters> GetParametersAsync()
    {
        var treasury = ReadAsync<Address>("treasury");
        var minMiner = ReadAsync<BigInteger>("minMinerStake");
        var minCoordinator = ReadAsync<BigInteger>("minCoordinatorStake");
        var unbonding = ReadAsync<BigInteger>("unbondingPeriod");
        var epoch = ReadAsync<BigInteger>("epochLength");
        var incident = ReadAsync<BigInteger>("maxSlashBpsPerIncident");
        var perEpoch = ReadAsync<BigInteger>("maxSlashBpsPerEpoch");
        var reporter = ReadAsync<BigInteger>("reporterShareBps");
        await Task.WhenAll(treasury, minMiner, minCoordinator, unbonding, epoch, incident, perEpoch, reporter).ConfigureAwait(false);
        return new StakingParameters
        {
            Treasury = treasury.Result, MinMinerStake = minMiner.Result, MinCoordinatorStake = minCoordinator.Result,
            UnbondingPeriod = TimeSpan.FromSeconds((double)unbonding.Result), EpochLength = TimeSpan.FromSeconds((double)epoch.Result),
            MaxSlashBpsPerIncident = (int)incident.Result, MaxSlashBpsPerEpoch = (int)perEpoch.Result, ReporterShareBps = (int)reporter.Result,
        };
    }

    public Task<Address> TokenAsync() => ReadAsync<Address>("token");

    /// <summary>Free bonded stake: the staker's self-stake.</summary>
    public Task<BigInteger> StakeOfAsync(Address staker) => ReadAsync<BigInteger>("stakeOf", staker);

    public async Task<Unbonding> UnbondingOfAsync(Address staker)
    {
        var r = await ReadAsync("unbondingOf", staker).ConfigureAwait(false);
        var releaseAt = (BigInteger)r[1]!;
        return new Unbonding((BigInteger)r[0]!, releaseAt.IsZero ? null : DateTimeOffset.FromUnixTimeSeconds((long)releaseAt));
    }

    /// <summary>The address the staker registered, or null.</summary>
    public async Task<Address?> RegistrationOfAsync(Address staker)
    {
        var candidate = await ReadAsync<Address>("registrationOf", staker).ConfigureAwait(false);
        return candidate.IsZero ? null : candidate;
    }

    public async Task<CandidateInfo> CandidateOfAsync(Address candidate)
    {
        var info = ReadAsync("candidateOf", candidate);
        var intro = ReadAsync<string>("introOf", candidate);
        await Task.WhenAll(info, intro).ConfigureAwait(false);
        var r = info.Result;
        return new CandidateInfo(
            candidate, (CandidateKind)(int)(BigInteger)r[0]!, (Address)r[1]!, (bool)r[2]!, (bool)r[3]!, (BigInteger)r[4]!,
            (BigInteger)r[5]!, (BigInteger)r[6]!, (int)(BigInteger)r[7]!, intro.Result);
    }

    public Task<string> IntroOfAsync(Address candidate) => ReadAsync<string>("introOf", candidate);

    public Task<BigInteger> WeightOfAsync(Address candidate) => ReadAsync<BigInteger>("weightOf", candidate);

    public Task<BigInteger> VotesForAsync(Address candidate) => ReadAsync<BigInteger>("votesFor", candidate);

    /// <summary>What the voter's votes on the candidate are worth now (after slashes).</summary>
    public Task<BigInteger> VoteOfAsync(Address voter, Address candidate) => ReadAsync<BigInteger>("voteOf", voter, candidate);

    public Task<BigInteger> VoteSharesOfAsync(Address candidate, Address voter) => ReadAsync<BigInteger>("voteSharesOf", candidate, voter);

    public Task<bool> IsActiveMinerAsync(Address candidate) => ReadAsync<bool>("isActiveMiner", candidate);

    public Task<bool> IsActiveCoordinatorAsync(Address candidate) => ReadAsync<bool>("isActiveCoordinator", candidate);

    public async Task<int> CommissionOfAsync(Address staker) => (int)await ReadAsync<BigInteger>("commissionOf", staker).ConfigureAwait(false);

    /// <summary>Settled, unclaimed rewards (commissions and settled vote rewards).</summary>
    public Task<BigInteger> RewardsOfAsync(Address account) => ReadAsync<BigInteger>("rewardsOf", account);

    /// <summary>Settled rewards plus those pending on <paramref name="candidates"/>.</summary>
    public Task<BigInteger> ClaimableAsync(Address account, IReadOnlyList<Address> candidates) =>
        ReadAsync<BigInteger>("claimable", account, candidates.Cast<object?>().ToArray());

    public async Task<int> SlashedBpsInEpochAsync(Address miner, BigInteger epoch) =>
        (int)await ReadAsync<BigInteger>("slashedBpsInEpoch", miner, epoch).ConfigureAwait(false);

    public Task<BigInteger> CurrentEpochAsync() => ReadAsync<BigInteger>("currentEpoch");

    public Task<BigInteger> TotalBondedAsync() => ReadAsync<BigInteger>("totalBonded");

    public Task<BigInteger> TotalRewardsOwedAsync() => ReadAsync<BigInteger>("totalRewardsOwed");

    public async Task<int> DefaultCommissionBpsAsync() => (int)await ReadAsync<BigInteger>("DEFAULT_COMMISSION_BPS").ConfigureAwait(false);

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
