using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Cuckoo.Staking.Tests;

/// <summary>One real Hardhat node on a free 127.0.0.1 port with the contracts deployed, shared by a collection.</summary>
public sealed class HardhatFixture : IAsyncLifetime
{
    public static string Root { get; } = DevnetSettings.FindRoot(AppContext.BaseDirectory);

    private readonly string _temp = Directory.CreateTempSubdirectory("cuckoo-staking-tests-").FullName;

    public HardhatNode Node { get; private set; } = null!;

    public DevnetSettings Settings { get; private set; } = null!;

    public Address Token { get; private set; }

    public Address Staking { get; private set; }

    public long DeployBlock { get; private set; }

    public async Task InitializeAsync()
    {
        Settings = new DevnetSettings { Root = Root, DataDirectory = _temp, Port = HardhatNode.FreePort(), RegisterDemoAccounts = false };
        await ContractBuild.EnsureCompiledAsync(Settings.ContractsDirectory, Settings.CompileTimeout);
        Node = await HardhatNode.StartAsync(Settings.ContractsDirectory, Settings.Port, Settings.LogFile, owned: true, Settings.ReadyTimeout);
        using var client = new ChainClient(Node.RpcUrl);
        var deployed = await DevnetDeployer.DeployAsync(client, Settings);
        (Token, Staking, DeployBlock) = (deployed.Token.Address, deployed.Staking.Address, deployed.DeployBlock);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_temp, recursive: true);
    }
}

[CollectionDefinition("hardhat")]
public sealed class HardhatCollection : ICollectionFixture<HardhatFixture>;
