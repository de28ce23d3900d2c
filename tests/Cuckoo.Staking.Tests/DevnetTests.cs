using System.Net;
using System.Net.Sockets;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.Staking.Tests;

/// <summary>`devnet up | down` against a real, detached Hardhat node; each test has its own data folder and port.</summary>
public sealed class DevnetTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("cuckoo-devnet-tests-").FullName;

    private DevnetSettings Settings(int? port = null) =>
        new() { Root = HardhatFixture.Root, DataDirectory = _data, Port = port ?? HardhatNode.FreePort() };

    [Fact]
    public async Task Devnet_up_writes_the_deployment_and_down_removes_it()
    {
        var manager = new DevnetManager(Settings());
        var steps = new List<string>();
        DevnetDownResult? down = null;
        try
        {
            var up = await manager.UpAsync(new SynchronousProgress(steps.Add));

            Assert.False(up.AlreadyRunning);
            Assert.Equal(["compiling contracts", "starting the Hardhat node on 127.0.0.1:" + manager.Settings.Port, "deploying CaiToken",
                "deploying CuckooStaking", "funding demo accounts from the faucet", "staking and registering the demo coordinator and miners"], steps);
            var written = DevnetDeployment.Read(manager.Settings.DeploymentFile);
            Assert.Equal(up.Deployment, written with { Parameters = up.Deployment.Parameters, Accounts = up.Deployment.Accounts });
            Assert.Equal(31337, written.ChainId);
            Assert.Equal($"http://127.0.0.1:{manager.Settings.Port}", written.RpcUrl);
            Assert.Equal("20000", written.Parameters["minMinerStake"]);
            Assert.Equal(10, written.Accounts.Count);
            Assert.Equal("2500000", written.Accounts.Single(a => a.Role == "voter-1").CaiBalance);
            Assert.Equal(("2470000", "30000"), (written.Accounts.Single(a => a.Role == "miner-1-staker").CaiBalance, written.Accounts.Single(a => a.Role == "miner-1-staker").Staked));
            Assert.Equal(written.NodePid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(manager.Settings.PidFile));
            Assert.True(manager.RunningNode()!.IsRunning);

            using (var client = new ChainClient(new Uri(written.RpcUrl)))
            {
                Assert.NotEmpty(await client.GetCodeAsync(Address.Parse(written.CuckooStaking)));
                var staking = new CuckooStakingClient(client, Address.Parse(written.CuckooStaking));
                Assert.Equal(Address.Parse(written.CaiToken), await staking.TokenAsync());
                Assert.True(await staking.IsActiveCoordinatorAsync(DevAccounts.ByRole("coordinator").Address));
                Assert.True(await staking.IsActiveMinerAsync(DevAccounts.ByRole("miner-1").Address));
                Assert.True(await staking.IsActiveMinerAsync(DevAccounts.ByRole("miner-2").Address));
                // The demo coordinator serves its gateway at the configured URL; each demo key's consent was spent once.
                Assert.Equal("https://127.0.0.1:8443", await staking.UrlOfAsync(DevAccounts.ByRole("coordinator").Address));
                Assert.Equal("https://127.0.0.1:8443", written.Parameters["coordinatorUrl"]);
                Assert.Equal(System.Numerics.BigInteger.One, await staking.ConsentNonceOfAsync(DevAccounts.ByRole("miner-1").Address));
                Assert.Equal(DevnetDeployer.DemoCoordinatorStake, await staking.StakeOfAsync(DevAccounts.ByRole("coordinator-staker").Address));
                Assert.True(written.DeployBlock <= await client.GetBlockNumberAsync());
            }

            var again = await manager.UpAsync();
            Assert.True(again.AlreadyRunning);
            Assert.Equal(written.CuckooStaking, again.Deployment.CuckooStaking);
        }
        finally
        {
            down = await manager.DownAsync();
        }

        Assert.True(down.WasRunning);
        Assert.Equal([manager.Settings.PidFile, manager.Settings.DeploymentFile], down.RemovedFiles);
        Assert.False(File.Exists(manager.Settings.DeploymentFile));
        Assert.Null(manager.RunningNode());
        Assert.True(File.Exists(manager.Settings.LogFile));
        var second = await manager.DownAsync();
        Assert.False(second.WasRunning);
        Assert.Empty(second.RemovedFiles);
    }

    [Fact]
    public async Task Devnet_up_refuses_a_port_in_use_and_leaves_nothing_behind()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var manager = new DevnetManager(Settings(port));

        var ex = await Assert.ThrowsAsync<DevnetException>(() => manager.UpAsync());

        Assert.Contains($"Port {port} on 127.0.0.1 is already in use", ex.Message);
        Assert.False(File.Exists(manager.Settings.PidFile));
        Assert.False(File.Exists(manager.Settings.DeploymentFile));
    }

    [Fact]
    public async Task Devnet_up_says_how_to_install_missing_packages()
    {
        var root = Directory.CreateDirectory(Path.Combine(_data, "bare"));
        Directory.CreateDirectory(Path.Combine(root.FullName, "contracts"));
        File.WriteAllText(Path.Combine(root.FullName, "contracts", "compile.mjs"), "");
        var manager = new DevnetManager(new DevnetSettings { Root = root.FullName, DataDirectory = _data });

        var ex = await Assert.ThrowsAsync<DevnetException>(() => manager.UpAsync());

        Assert.Contains("./build.sh setup", ex.Message);
    }

    [Fact]
    public async Task A_node_that_dies_at_start_is_reported_with_its_log()
    {
        var settings = Settings() with { NodeExecutable = "/bin/false" };

        var ex = await Assert.ThrowsAsync<DevnetException>(() => HardhatNode.StartAsync(
            settings.ContractsDirectory, settings.Port, settings.LogFile, owned: true, TimeSpan.FromSeconds(30), settings.NodeExecutable));

        Assert.Contains("exited before it was ready", ex.Message);

        // A node that lost the race for its port says so in its log; that becomes the port-in-use error.
        File.WriteAllText(settings.LogFile, "Error: listen EADDRINUSE: address already in use 127.0.0.1:" + settings.Port + "\n");
        var taken = await Assert.ThrowsAsync<DevnetException>(() => HardhatNode.StartAsync(
            settings.ContractsDirectory, settings.Port, settings.LogFile, owned: true, TimeSpan.FromSeconds(30), settings.NodeExecutable));
        Assert.Contains($"Port {settings.Port} on 127.0.0.1 is already in use", taken.Message);
    }

    [Fact]
    public void A_missing_deployment_file_says_to_run_devnet_up()
    {
        var ex = Assert.Throws<DevnetException>(() => DevnetDeployment.Read(Path.Combine(_data, "devnet.json")));
        Assert.Contains("cuckoo devnet up", ex.Message);
        File.WriteAllText(Path.Combine(_data, "broken.json"), "{ not json");
        Assert.Contains("not a devnet deployment file", Assert.Throws<DevnetException>(() => DevnetDeployment.Read(Path.Combine(_data, "broken.json"))).Message);
    }

    public void Dispose()
    {
        // Whatever a failed test left running: a detached node logging into this test's folder is this test's.
        foreach (var pid in NodesLoggingUnder(_data))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }
        Directory.Delete(_data, recursive: true);
    }

    private static IEnumerable<int> NodesLoggingUnder(string folder)
    {
        var marker = "CUCKOO_HARDHAT_LOG=" + folder + "/";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string environ;
            try
            {
                environ = File.ReadAllText(Path.Combine(dir, "environ"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (environ.Split('\0').Any(e => e.StartsWith(marker, StringComparison.Ordinal)))
            {
                yield return pid;
            }
        }
    }

    /// <summary>Unlike <see cref="Progress{T}"/>, reports inline, so the steps are recorded in order.</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
