using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Trust.Chain;

/// <summary>
/// One Hardhat node on a free 127.0.0.1 port with the contracts deployed and the demo coordinator and miners registered,
/// plus a third and a fourth miner of fresh stakers funded by the faucet: an accused and three witnesses of four stakers.
/// </summary>
public sealed class TrustChainHardhatFixture : IAsyncLifetime
{
    private readonly string _temp = Directory.CreateTempSubdirectory("cuckoo-trust-chain-tests-").FullName;

    public HardhatNode Node { get; private set; } = null!;

    public DevnetSettings Settings { get; private set; } = null!;

    public Address Token { get; private set; }

    public Address Staking { get; private set; }

    public long ChainId { get; private set; }

    public TrustMiner Accused { get; private set; } = null!;

    public IReadOnlyList<TrustMiner> Witnesses { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Settings = new DevnetSettings { Root = DevnetSettings.FindRoot(AppContext.BaseDirectory), DataDirectory = _temp, Port = HardhatNode.FreePort() };
        await ContractBuild.EnsureCompiledAsync(Settings.ContractsDirectory, Settings.CompileTimeout);
        Node = await HardhatNode.StartAsync(Settings.ContractsDirectory, Settings.Port, Settings.LogFile, owned: true, Settings.ReadyTimeout);
        using var client = new ChainClient(Node.RpcUrl);
        var deployed = await DevnetDeployer.DeployAsync(client, Settings);
        (Token, Staking, ChainId) = (deployed.Token.Address, deployed.Staking.Address, deployed.ChainId);
        var typed = new StakingTypedData(deployed.ChainId, deployed.Staking.Address);

        var fresh = await Task.WhenAll(Enumerable.Range(3, 2).Select(async i =>
        {
            var (staker, miner) = (EthKey.Generate(), EthKey.Generate());
            await DevnetFaucet.FundAsync(deployed.Token, staker);
            await DevnetDeployer.RegisterCandidateAsync(
                client, deployed.Token, deployed.Staking, typed, staker, miner, $"miner {i}", null, DevnetDeployer.DemoMinerStake, CancellationToken.None);
            return new TrustMiner(miner, staker.Address);
        }));
        Accused = Demo("miner-1");
        Witnesses = [Demo("miner-2"), .. fresh];
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_temp, recursive: true);
    }

    private static TrustMiner Demo(string role) => new(DevAccounts.ByRole(role).Key, DevAccounts.ByRole(role + "-staker").Address);
}
