using Akka.Actor;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Cuckoo.Staking.Tests;
using Xunit;

namespace Cuckoo.ChainWatcher.Tests;

[Collection("hardhat")]
public sealed class StaleViewTests(HardhatFixture fixture) : WatcherTestBase(fixture)
{
    [Fact]
    public async Task Watcher_goes_stale_while_the_node_is_down_and_recovers_from_a_restarted_node()
    {
        var port = HardhatNode.FreePort();
        var events = SubscribeToStream();
        var watcher = Sys.ActorOf(ChainWatcher.Props(Settings(0) with { RpcUrl = new Uri($"http://127.0.0.1:{port}") }));

        var stale = await events.ExpectMsgAsync<ChainViewStale>(Wait);
        Assert.False(string.IsNullOrWhiteSpace(stale.Reason));
        var status = await watcher.Ask<ChainWatcherStatus>(GetChainWatcherStatus.Instance, Wait);
        Assert.True(status.Stale);
        Assert.True(status.ConsecutiveFailures > 0);

        // A node comes up on that port with the same deployment (same deployer and nonces, so the same addresses).
        var temp = Directory.CreateTempSubdirectory("cuckoo-watcher-node-").FullName;
        try
        {
            var settings = Fixture.Settings with { DataDirectory = temp, Port = port };
            await using var node = await HardhatNode.StartAsync(settings.ContractsDirectory, port, settings.LogFile, owned: true, settings.ReadyTimeout);
            using var client = new ChainClient(node.RpcUrl);
            var deployed = await DevnetDeployer.DeployAsync(client, settings);
            Assert.Equal(Fixture.Staking, deployed.Staking.Address);

            // It may have caught up while the deployment was still running; either way it is fresh again.
            await events.FishForMessageAsync<ChainViewFresh>(_ => true, Wait);
            var sender = new TransactionSender(client, DevAccounts.ByRole("voter-2").Key);
            await deployed.Token.ApproveAsync(sender, deployed.Staking.Address, Cuckoo.Staking.Cai.Tokens(5));
            await deployed.Staking.StakeAsync(sender, Cuckoo.Staking.Cai.Tokens(5));
            var staked = Assert.IsType<StakeChanged>(await NextEventAsync(events));
            Assert.Equal(DevAccounts.ByRole("voter-2").Address, staked.Staker);

            // The node stops; a new one starts on the same port with the contracts redeployed: same addresses, but a
            // different history (other block hashes), so the watcher goes stale, then sees a reorg and re-reads.
            await node.DisposeAsync();
            await events.FishForMessageAsync<ChainViewStale>(_ => true, Wait);
            await using var second = await HardhatNode.StartAsync(settings.ContractsDirectory, port, settings.LogFile, owned: true, settings.ReadyTimeout);
            using var secondClient = new ChainClient(second.RpcUrl);
            var redeployed = await DevnetDeployer.DeployAsync(secondClient, settings);
            var voter = new TransactionSender(secondClient, DevAccounts.ByRole("voter-1").Key);
            await redeployed.Token.ApproveAsync(voter, redeployed.Staking.Address, Cuckoo.Staking.Cai.Tokens(7));
            await redeployed.Staking.StakeAsync(voter, Cuckoo.Staking.Cai.Tokens(7));
            await events.FishForMessageAsync<ChainReorganized>(_ => true, Wait);
            var restaked = Assert.IsType<StakeChanged>(await NextEventAsync(events));
            Assert.Equal(DevAccounts.ByRole("voter-1").Address, restaked.Staker);
            Assert.Equal(Cuckoo.Staking.Cai.Tokens(7), restaked.Amount);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
