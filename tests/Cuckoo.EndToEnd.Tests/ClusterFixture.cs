using System.Net;
using System.Net.Sockets;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Cuckoo.EndToEnd.Tests;

/// <summary>
/// A real Hardhat chain with the contracts deployed, the demo coordinator and miners staked and registered, and a
/// third miner besides; a deployment file the `cuckoo` processes read. Each test starts its own nodes.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string Password = "end-to-end";

    public string Temp { get; } = Directory.CreateTempSubdirectory("cuckoo-e2e-").FullName;

    public HardhatNode Node { get; private set; } = null!;

    public DevnetDeployment Deployment { get; private set; } = null!;

    public string DeploymentFile => Path.Combine(Temp, "devnet.json");

    public string PasswordFile => Path.Combine(Temp, "password.txt");

    /// <summary>The enrolment port registered on chain for the demo coordinator.</summary>
    public int EnrolmentPort { get; private set; }

    public EthKey Miner3 { get; } = EthKey.Generate();

    public ChainClient Chain { get; private set; } = null!;

    public CuckooStakingClient Staking { get; private set; } = null!;

    public CaiTokenClient Token { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var root = DevnetSettings.FindRoot(AppContext.BaseDirectory);
        EnrolmentPort = FreePort();
        var settings = new DevnetSettings
        {
            Root = root, DataDirectory = Temp, Port = HardhatNode.FreePort(), CoordinatorUrl = new Uri($"https://127.0.0.1:{EnrolmentPort}"),
        };
        await ContractBuild.EnsureCompiledAsync(settings.ContractsDirectory, settings.CompileTimeout);
        Node = await HardhatNode.StartAsync(settings.ContractsDirectory, settings.Port, settings.LogFile, owned: true, settings.ReadyTimeout);
        Chain = new ChainClient(Node.RpcUrl);
        var deployed = await DevnetDeployer.DeployAsync(Chain, settings);
        (Token, Staking) = (deployed.Token, deployed.Staking);
        Deployment = await DevnetDeployer.DescribeAsync(deployed, settings, Node.Pid, TimeProvider.System);
        Deployment.Write(DeploymentFile);
        await File.WriteAllTextAsync(PasswordFile, Password + "\n");

        // A third miner with a staker of its own, funded by the devnet faucet.
        var staker = EthKey.Generate();
        await DevnetFaucet.FundAsync(Token, staker);
        await DevnetFaucet.FundAsync(Token, Miner3);
        var typed = new StakingTypedData(Deployment.ChainId, Staking.Address);
        await DevnetDeployer.RegisterCandidateAsync(Chain, Token, Staking, typed, staker, Miner3, "e2e miner-3", null, Cai.Tokens(25_000), default);
        Miner3Staker = staker;
    }

    public EthKey Miner3Staker { get; private set; } = null!;

    /// <summary>A key file for <paramref name="key"/> (light scrypt, this fixture's password).</summary>
    public string KeyFile(EthKey key)
    {
        var file = Path.Combine(Temp, "keys", key.Address + ".json");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, KeyStore.Encrypt(key, Password, ScryptParameters.Light));
        }
        return file;
    }

    public async Task DisposeAsync()
    {
        Chain.Dispose();
        await Node.DisposeAsync();
        try
        {
            Directory.Delete(Temp, recursive: true);
        }
        catch (IOException)
        {
            // A node killed mid-write may still hold a file for a moment; the temp folder is the OS's to clean.
        }
    }

    /// <summary>Below the ephemeral range, so that the other test assemblies' connections cannot take it before the node binds it.</summary>
    public static int FreePort() => HardhatNode.FreePort();
}

[CollectionDefinition("cluster")]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;
