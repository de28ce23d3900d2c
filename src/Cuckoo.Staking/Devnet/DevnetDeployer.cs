using System.Globalization;
using Cuckoo.Chain;

namespace Cuckoo.Staking.Devnet;

/// <summary>The contracts a deployment produced, with clients ready to use.</summary>
public sealed record DeployedContracts(CaiTokenClient Token, CuckooStakingClient Staking, long DeployBlock, long ChainId);

/// <summary>Deploys CaiToken and CuckooStaking from the deployer account and funds the demo accounts from the faucet.</summary>
public static class DevnetDeployer
{
    /// <exception cref="DevnetException">the contracts are not compiled.</exception>
    /// <exception cref="StakingRevertException">a deployment or faucet call reverted.</exception>
    public static async Task<DeployedContracts> DeployAsync(
        ChainClient client, DevnetSettings settings, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var tokenCode = ContractBuild.ReadBytecode(settings.ContractsDirectory, "CaiToken");
        var stakingCode = ContractBuild.ReadBytecode(settings.ContractsDirectory, "CuckooStaking");
        var chainId = (long)await client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        var deployBlock = await client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false) + 1;
        var deployer = new TransactionSender(client, DevAccounts.Deployer.Key);

        progress?.Report("deploying CaiToken");
        var token = await CaiTokenClient.DeployAsync(deployer, tokenCode, settings.Token, cancellationToken: cancellationToken).ConfigureAwait(false);
        progress?.Report("deploying CuckooStaking");
        var staking = await CuckooStakingClient.DeployAsync(
            deployer, stakingCode, token.Address, settings.Staking with { Treasury = DevAccounts.Treasury.Address },
            cancellationToken: cancellationToken).ConfigureAwait(false);

        progress?.Report("funding demo accounts from the faucet");
        if (settings.Token.FaucetAmount > 0)
        {
            await Task.WhenAll(DevAccounts.FundedFromFaucet.Select(a =>
                token.FaucetAsync(new TransactionSender(client, a.Key), cancellationToken))).ConfigureAwait(false);
        }
        if (settings.RegisterDemoAccounts)
        {
            progress?.Report("staking and registering the demo coordinator and miners");
            var typed = new StakingTypedData(chainId, staking.Address);
            await Task.WhenAll(
                RegisterAsync(client, token, staking, typed, "coordinator-staker", "coordinator", settings.CoordinatorUrl, DemoCoordinatorStake, cancellationToken),
                RegisterAsync(client, token, staking, typed, "miner-1-staker", "miner-1", null, DemoMinerStake, cancellationToken),
                RegisterAsync(client, token, staking, typed, "miner-2-staker", "miner-2", null, DemoMinerStake, cancellationToken)).ConfigureAwait(false);
        }
        return new DeployedContracts(token, staking, deployBlock, chainId);
    }

    /// <summary>The demo coordinator's self-stake: above the 2,000,000 CAI minimum (thresholds are strict), within one faucet call.</summary>
    public static System.Numerics.BigInteger DemoCoordinatorStake { get; } = Cai.Tokens(2_100_000);

    /// <summary>Each demo miner's self-stake.</summary>
    public static System.Numerics.BigInteger DemoMinerStake { get; } = Cai.Tokens(30_000);

    /// <summary>Stakes and registers a demo candidate; the candidate's own key signs its consent (null url: a miner).</summary>
    private static Task RegisterAsync(
        ChainClient client, CaiTokenClient token, CuckooStakingClient staking, StakingTypedData typed, string stakerRole, string candidateRole,
        Uri? coordinatorUrl, System.Numerics.BigInteger amount, CancellationToken cancellationToken) =>
        RegisterCandidateAsync(
            client, token, staking, typed, DevAccounts.ByRole(stakerRole).Key, DevAccounts.ByRole(candidateRole).Key, $"demo {candidateRole}",
            coordinatorUrl, amount, cancellationToken);

    /// <summary>
    /// Stakes <paramref name="amount"/> from <paramref name="stakerKey"/> (which must hold the CAI and gas) and registers
    /// <paramref name="candidate"/> for it with the candidate's signed consent; a coordinator when <paramref name="coordinatorUrl"/> is set.
    /// </summary>
    public static async Task RegisterCandidateAsync(
        ChainClient client, CaiTokenClient token, CuckooStakingClient staking, StakingTypedData typed, EthKey stakerKey, EthKey candidate, string intro,
        Uri? coordinatorUrl, System.Numerics.BigInteger amount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(stakerKey);
        ArgumentNullException.ThrowIfNull(candidate);
        var staker = new TransactionSender(client, stakerKey);
        var kind = coordinatorUrl is null ? CandidateKind.Miner : CandidateKind.Coordinator;
        var nonce = await staking.ConsentNonceOfAsync(candidate.Address).ConfigureAwait(false);
        var consent = typed.SignRegistration(candidate, stakerKey.Address, kind, intro, nonce);
        await token.ApproveAsync(staker, staking.Address, amount, cancellationToken).ConfigureAwait(false);
        await staking.StakeAsync(staker, amount, cancellationToken).ConfigureAwait(false);
        if (coordinatorUrl is not null)
        {
            await staking.RegisterCoordinatorAsync(staker, candidate.Address, intro, coordinatorUrl.ToString().TrimEnd('/'), consent, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await staking.RegisterMinerAsync(staker, candidate.Address, intro, consent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The deployment file's content for a deployment.</summary>
    public static async Task<DevnetDeployment> DescribeAsync(DeployedContracts deployed, DevnetSettings settings, int nodePid, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        ArgumentNullException.ThrowIfNull(settings);
        var accounts = new List<DevnetAccount>();
        foreach (var account in DevAccounts.All)
        {
            var balance = await deployed.Token.BalanceOfAsync(account.Address).ConfigureAwait(false);
            var staked = await deployed.Staking.StakeOfAsync(account.Address).ConfigureAwait(false);
            accounts.Add(new DevnetAccount(account.Role, account.Address.ToString(), account.PrivateKey, Cai.Format(balance), Cai.Format(staked)));
        }
        var s = settings.Staking;
        var t = settings.Token;
        string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return new DevnetDeployment
        {
            ChainId = deployed.ChainId,
            RpcUrl = settings.RpcUrl.ToString().TrimEnd('/'),
            Port = settings.Port,
            NodePid = nodePid,
            DeployBlock = deployed.DeployBlock,
            CaiToken = deployed.Token.Address.ToString(),
            CuckooStaking = deployed.Staking.Address.ToString(),
            Deployer = DevAccounts.Deployer.Address.ToString(),
            Treasury = DevAccounts.Treasury.Address.ToString(),
            DeployedAt = time.GetUtcNow(),
            Parameters = new()
            {
                ["minMinerStake"] = Cai.Format(s.MinMinerStake),
                ["minCoordinatorStake"] = Cai.Format(s.MinCoordinatorStake),
                ["unbondingPeriodSeconds"] = Seconds(s.UnbondingPeriod),
                ["epochLengthSeconds"] = Seconds(s.EpochLength),
                ["slashBps"] = s.SlashBps.ToString(CultureInfo.InvariantCulture),
                ["maxSlashBpsPerEpoch"] = s.MaxSlashBpsPerEpoch.ToString(CultureInfo.InvariantCulture),
                ["minWitnesses"] = s.MinWitnesses.ToString(CultureInfo.InvariantCulture),
                ["maxCommissionStepBps"] = s.MaxCommissionStepBps.ToString(CultureInfo.InvariantCulture),
                ["coordinatorUrl"] = settings.CoordinatorUrl.ToString().TrimEnd('/'),
                ["faucetAmount"] = Cai.Format(t.FaucetAmount),
                ["faucetCooldownSeconds"] = Seconds(t.FaucetCooldown),
            },
            Accounts = accounts,
        };
    }
}
