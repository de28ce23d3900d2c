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
            await Task.WhenAll(
                RegisterAsync(client, token, staking, "coordinator-staker", "coordinator", coordinator: true, settings.Staking.MinCoordinatorStake, cancellationToken),
                RegisterAsync(client, token, staking, "miner-1-staker", "miner-1", coordinator: false, Cai.Tokens(30_000), cancellationToken),
                RegisterAsync(client, token, staking, "miner-2-staker", "miner-2", coordinator: false, Cai.Tokens(30_000), cancellationToken)).ConfigureAwait(false);
        }
        return new DeployedContracts(token, staking, deployBlock, chainId);
    }

    private static async Task RegisterAsync(
        ChainClient client, CaiTokenClient token, CuckooStakingClient staking, string stakerRole, string candidateRole, bool coordinator,
        System.Numerics.BigInteger amount, CancellationToken cancellationToken)
    {
        var staker = new TransactionSender(client, DevAccounts.ByRole(stakerRole).Key);
        var candidate = DevAccounts.ByRole(candidateRole).Address;
        await token.ApproveAsync(staker, staking.Address, amount, cancellationToken).ConfigureAwait(false);
        await staking.StakeAsync(staker, amount, cancellationToken).ConfigureAwait(false);
        if (coordinator)
        {
            await staking.RegisterCoordinatorAsync(staker, candidate, $"demo {candidateRole}", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await staking.RegisterMinerAsync(staker, candidate, $"demo {candidateRole}", cancellationToken).ConfigureAwait(false);
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
                ["maxSlashBpsPerIncident"] = s.MaxSlashBpsPerIncident.ToString(CultureInfo.InvariantCulture),
                ["maxSlashBpsPerEpoch"] = s.MaxSlashBpsPerEpoch.ToString(CultureInfo.InvariantCulture),
                ["reporterShareBps"] = s.ReporterShareBps.ToString(CultureInfo.InvariantCulture),
                ["faucetAmount"] = Cai.Format(t.FaucetAmount),
                ["faucetCooldownSeconds"] = Seconds(t.FaucetCooldown),
            },
            Accounts = accounts,
        };
    }
}
