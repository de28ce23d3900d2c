using Akka.Actor;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Cuckoo.Staking.Tests;
using Xunit;

namespace Cuckoo.ChainWatcher.Tests;

[Collection("hardhat")]
public sealed class ChainWatcherTests(HardhatFixture fixture) : WatcherTestBase(fixture)
{
    [Fact]
    public async Task Watcher_delivers_events_to_subscribers_only_after_confirmations()
    {
        await ApproveAsync("miner-1-staker");
        var subscriber = CreateTestProbe();
        var watcher = Sys.ActorOf(ChainWatcher.Props(Settings(await NextBlockAsync(), confirmations: 2)));
        watcher.Tell(new SubscribeChainEvents(subscriber.Ref), TestActor);
        await ExpectMsgAsync<ChainEventsSubscribed>(Wait);
        await subscriber.FishForMessageAsync<ChainViewFresh>(_ => true, Wait);

        var staked = await StakeAsync("miner-1-staker", 30_000);
        var consent = await ConsentAsync(DevAccounts.ByRole("miner-1").Key, AddressOf("miner-1-staker"), CandidateKind.Miner, "watched box");
        var registered = await Staking.RegisterMinerAsync(Sender("miner-1-staker"), AddressOf("miner-1"), "watched box", consent);

        // Neither block has two blocks on top yet; many polls pass without delivery.
        await subscriber.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        await MineAsync(1);
        var stake = Assert.IsType<StakeChanged>(await NextEventAsync(subscriber));
        Assert.Equal(staked.BlockNumber, stake.Position.BlockNumber);
        Assert.Equal(StakeChangeKind.Staked, stake.Kind);
        Assert.Equal(Cai.Tokens(30_000), stake.Amount);
        await subscriber.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));

        await MineAsync(1);
        var miner = Assert.IsType<MinerRegistered>(await NextEventAsync(subscriber));
        Assert.Equal(AddressOf("miner-1"), miner.Miner);
        Assert.Equal(AddressOf("miner-1-staker"), miner.Staker);
        Assert.Equal("watched box", miner.Intro);
        Assert.Equal(registered.BlockNumber, miner.Position.BlockNumber);
        Assert.Equal(registered.TransactionHash, miner.Position.TransactionHash);
        var rest = new List<IChainEvent>();
        while (rest.Count < 2)
        {
            rest.Add(await NextEventAsync(subscriber));
        }
        Assert.Contains(rest, e => e is CandidateActivationChanged { Active: true });
        var weight = Assert.Single(rest.OfType<WeightChanged>());
        Assert.Equal(Cai.Tokens(30_000), weight.Weight);
        Assert.True(rest.All(e => e.Position.CompareTo(miner.Position) > 0), "events arrive in chain order");

        var status = await watcher.Ask<ChainWatcherStatus>(GetChainWatcherStatus.Instance, Wait);
        Assert.Equal(1, status.Subscribers);
        Assert.False(status.Stale);
        Assert.True(status.CheckpointBlock >= registered.BlockNumber);
    }

    [Fact]
    public async Task Watcher_reports_votes_rewards_and_slashes()
    {
        var events = SubscribeToStream();
        Sys.ActorOf(ChainWatcher.Props(Settings(await NextBlockAsync())));
        foreach (var role in new[] { "coordinator-staker", "miner-2-staker", "voter-2" })
        {
            await ApproveAsync(role);
        }
        var coordinatorKey = DevAccounts.ByRole("coordinator").Key;
        await StakeAsync("coordinator-staker", 2_100_000);
        await Staking.RegisterCoordinatorAsync(Sender("coordinator-staker"), coordinatorKey.Address, "coordinator", "https://127.0.0.1:8443",
            await ConsentAsync(coordinatorKey, AddressOf("coordinator-staker"), CandidateKind.Coordinator, "coordinator"));
        await Staking.SetCoordinatorUrlAsync(Sender("coordinator-staker"), "https://127.0.0.1:9443");
        await StakeAsync("miner-2-staker", 30_000);
        await Staking.RegisterMinerAsync(Sender("miner-2-staker"), AddressOf("miner-2"), "miner two",
            await ConsentAsync(DevAccounts.ByRole("miner-2").Key, AddressOf("miner-2-staker"), CandidateKind.Miner, "miner two"));
        await Staking.SetCommissionAsync(Sender("miner-2-staker"), 1_200);
        var witnesses = new[] { await RegisterFreshMinerAsync("witness a"), await RegisterFreshMinerAsync("witness b") };
        await StakeAsync("voter-2", 100);
        var epoch = await Staking.CurrentEpochAsync();
        await Staking.VoteAsync(Sender("voter-2"), AddressOf("miner-2"), Cai.Tokens(100));
        var unvoteSent = await Staking.UnvoteAsync(Sender("voter-2"), AddressOf("miner-2"), Cai.Tokens(40));
        await ApproveAsync("coordinator");
        await Staking.DepositRewardAsync(Sender("coordinator"), AddressOf("miner-2"), Cai.Tokens(10));
        var task = new StakingTask(Keccak256.Hash("watched task"), Keccak256.Hash("model"), Keccak256.Hash("input"));
        var (bad, good) = (Keccak256.Hash("faked"), Keccak256.Hash("honest"));
        var evidence = Typed.Evidence(coordinatorKey, task, bad, Typed.SignResult(DevAccounts.ByRole("miner-2").Key, task, bad, coordinatorKey.Address), good,
            witnesses.Select(w => Typed.SignResult(w, task, good, coordinatorKey.Address)));
        var slashSent = (await Staking.SlashAsync(Sender("coordinator"), AddressOf("miner-2"), evidence)).Single<Slashed>();

        var coordinator = await events.FishForMessageAsync<CoordinatorRegistered>(_ => true, Wait);
        Assert.Equal((AddressOf("coordinator-staker"), "https://127.0.0.1:8443"), (coordinator.Staker, coordinator.Url));
        var url = await events.FishForMessageAsync<CoordinatorUrlChanged>(_ => true, Wait);
        Assert.Equal((coordinatorKey.Address, "https://127.0.0.1:9443"), (url.Coordinator, url.Url));
        var commission = await events.FishForMessageAsync<CommissionChanged>(c => c.Staker == AddressOf("miner-2-staker"), Wait);
        Assert.Equal(1_200, commission.Bps);
        Assert.True(commission.EffectiveEpoch >= epoch + 1);
        var voted = await events.FishForMessageAsync<VoteChanged>(v => v.Voter == AddressOf("voter-2"), Wait);
        Assert.Equal((Cai.Tokens(100), epoch + 1), (voted.Delta, voted.EarningFromEpoch));
        Assert.Null(voted.ReleaseAt);
        var unvoted = await events.FishForMessageAsync<VoteChanged>(v => v.Voter == AddressOf("voter-2"), Wait);
        Assert.Equal((-Cai.Tokens(40), Cai.Tokens(40)), (unvoted.Delta, unvoted.Unbonding));
        Assert.Equal(unvoteSent.Single<Unvoted>().ReleaseAt, unvoted.ReleaseAt);
        Assert.Null(unvoted.EarningFromEpoch);
        var rewarded = await events.FishForMessageAsync<MinerRewarded>(_ => true, Wait);
        Assert.Equal((AddressOf("coordinator"), AddressOf("miner-2"), Cai.Tokens(10)), (rewarded.Coordinator, rewarded.Miner, rewarded.Amount));
        Assert.Equal(rewarded.Amount, rewarded.Commission + rewarded.ToVoters);
        var slashed = await events.FishForMessageAsync<CandidateSlashed>(_ => true, Wait);
        Assert.Equal((AddressOf("miner-2"), AddressOf("coordinator"), 1_000), (slashed.Candidate, slashed.Reporter, slashed.Bps));
        Assert.Equal(slashSent.EvidenceId, slashed.EvidenceId);
        Assert.True(slashed.Total > 0);
        Assert.Equal(slashed.Total, slashed.Burned);
        var weight = await events.FishForMessageAsync<WeightChanged>(w => w.Candidate == AddressOf("miner-2"), Wait);
        Assert.True(weight.Position.CompareTo(slashed.Position) > 0, "the slash's weight change follows it");
    }

    [Fact]
    public async Task Watcher_drops_a_subscriber_that_stopped()
    {
        var watcher = Sys.ActorOf(ChainWatcher.Props(Settings(await NextBlockAsync())));
        var subscriber = CreateTestProbe();
        watcher.Tell(new SubscribeChainEvents(subscriber.Ref), TestActor);
        Assert.Equal(subscriber.Ref, (await ExpectMsgAsync<ChainEventsSubscribed>(Wait)).Subscriber);
        Assert.Equal(1, (await watcher.Ask<ChainWatcherStatus>(GetChainWatcherStatus.Instance, Wait)).Subscribers);
        Sys.Stop(subscriber.Ref);
        await AwaitConditionAsync(async () => (await watcher.Ask<ChainWatcherStatus>(GetChainWatcherStatus.Instance, Wait)).Subscribers == 0, Wait);
    }

    [Fact]
    public async Task Watcher_rereads_from_the_fork_point_after_a_reorg()
    {
        await ApproveAsync("voter-1");
        await ApproveAsync("voter-2");
        var events = SubscribeToStream();
        Sys.ActorOf(ChainWatcher.Props(Settings(await NextBlockAsync())));
        await events.FishForMessageAsync<ChainViewFresh>(_ => true, Wait);

        var snapshot = await Client.CallAsync<string>("evm_snapshot");
        var orphaned = await StakeAsync("voter-1", 111);
        var first = Assert.IsType<StakeChanged>(await NextEventAsync(events));
        Assert.Equal(AddressOf("voter-1"), first.Staker);

        // Replace the block with a different history at the same height.
        Assert.True(await Client.CallAsync<bool>("evm_revert", snapshot));
        var replacement = await StakeAsync("voter-2", 222);
        Assert.Equal(orphaned.BlockNumber, replacement.BlockNumber);

        var reorg = await events.FishForMessageAsync<ChainReorganized>(_ => true, Wait);
        Assert.True(reorg.ForkBlock < orphaned.BlockNumber);
        Assert.Equal(orphaned.BlockNumber, reorg.OrphanedToBlock);
        var second = Assert.IsType<StakeChanged>(await NextEventAsync(events));
        Assert.Equal(AddressOf("voter-2"), second.Staker);
        Assert.Equal(Cai.Tokens(222), second.Amount);
        Assert.Equal(replacement.Receipt.BlockHash, second.Position.BlockHash, ignoreCase: true);
        Assert.NotEqual(first.Position.BlockHash, second.Position.BlockHash);
    }

    [Theory]
    [InlineData(200, 2_000)]
    [InlineData(1, 1)] // a snapshot (and journal cleanup) after every checkpoint, one block per read
    public async Task Watcher_resumes_after_restart_without_gaps_or_duplicates(int snapshotEvery, int maxBlockRange)
    {
        await ApproveAsync("voter-1");
        var start = await NextBlockAsync();
        var first = NewSystem("first");
        var firstEvents = SubscribeToStream(first);
        var settings = Settings(start) with { SnapshotEvery = snapshotEvery, MaxBlockRange = maxBlockRange };
        first.ActorOf(ChainWatcher.Props(settings), "chain-watcher");
        await StakeAsync("voter-1", 1);
        Assert.Equal(Cai.Tokens(1), Assert.IsType<StakeChanged>(await NextEventAsync(firstEvents)).Amount);
        await first.Terminate();

        // While no watcher runs.
        await StakeAsync("voter-1", 2);
        await StakeAsync("voter-1", 3);

        var second = NewSystem("second");
        var secondEvents = SubscribeToStream(second);
        second.ActorOf(ChainWatcher.Props(settings), "chain-watcher");
        Assert.Equal(Cai.Tokens(2), Assert.IsType<StakeChanged>(await NextEventAsync(secondEvents)).Amount);
        Assert.Equal(Cai.Tokens(3), Assert.IsType<StakeChanged>(await NextEventAsync(secondEvents)).Amount);
        await StakeAsync("voter-1", 4);
        Assert.Equal(Cai.Tokens(4), Assert.IsType<StakeChanged>(await NextEventAsync(secondEvents)).Amount);
        // Nothing else: no repeat of the first run's stake, no second copy of any.
        await ExpectNoChainEventAsync(secondEvents);
    }

    [Fact]
    public async Task A_supervised_watcher_that_stopped_is_started_again_and_resumes_from_its_journal()
    {
        await ApproveAsync("voter-1");
        var events = SubscribeToStream();
        var supervisor = Sys.ActorOf(ChainWatcher.SupervisedProps(Settings(await NextBlockAsync()), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));
        await StakeAsync("voter-1", 1);
        Assert.Equal(Cai.Tokens(1), Assert.IsType<StakeChanged>(await NextEventAsync(events)).Amount);

        var first = (await supervisor.Ask<Akka.Pattern.BackoffSupervisor.CurrentChild>(Akka.Pattern.BackoffSupervisor.GetCurrentChild.Instance, Wait)).Ref;
        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first, Wait);
        await StakeAsync("voter-1", 2);

        // The new watcher recovers the checkpoint: the second stake once, the first never again.
        Assert.Equal(Cai.Tokens(2), Assert.IsType<StakeChanged>(await NextEventAsync(events)).Amount);
        await ExpectNoChainEventAsync(events);
        var second = (await supervisor.Ask<Akka.Pattern.BackoffSupervisor.CurrentChild>(Akka.Pattern.BackoffSupervisor.GetCurrentChild.Instance, Wait)).Ref;
        Assert.NotEqual(first, second);
        Assert.False((await supervisor.Ask<ChainWatcherStatus>(GetChainWatcherStatus.Instance, Wait)).Stale);
    }

    [Fact]
    public async Task Watcher_on_the_wrong_chain_reads_nothing_and_goes_stale()
    {
        var events = SubscribeToStream();
        var watcher = Sys.ActorOf(ChainWatcher.Props(Settings(await NextBlockAsync()) with { ChainId = 999_999 }));
        var stale = await events.ExpectMsgAsync<ChainViewStale>(Wait);
        Assert.Equal($"the node at {Fixture.Node.RpcUrl} is on chain 31337, not 999999", stale.Reason);
        var status = await watcher.Ask<ChainWatcherStatus>(GetChainWatcherStatus.Instance, Wait);
        Assert.True(status.Stale);
        Assert.False(status.Fresh);
        Assert.Null(status.CheckpointHash);
    }

    [Fact]
    public async Task Watcher_on_an_automining_devnet_delivers_the_newest_block_without_confirmations_by_default()
    {
        await ApproveAsync("voter-2");
        var events = SubscribeToStream();
        // Hardhat's chain id and no Confirmations: nothing will be mined on top of the stake's block.
        Sys.ActorOf(ChainWatcher.Props(Settings(await NextBlockAsync(), confirmations: null) with { ChainId = 31_337 }));
        await events.FishForMessageAsync<ChainViewFresh>(_ => true, Wait);
        var staked = await StakeAsync("voter-2", 9);
        var e = Assert.IsType<StakeChanged>(await NextEventAsync(events));
        Assert.Equal((staked.BlockNumber, Cai.Tokens(9)), (e.Position.BlockNumber, e.Amount));
        Assert.Equal(staked.BlockNumber, await Client.GetBlockNumberAsync());
    }

    private static async Task ExpectNoChainEventAsync(Akka.TestKit.TestProbe probe)
    {
        // Freshness notices may come and go; a contract event may not.
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
        for (var left = deadline - DateTime.UtcNow; left > TimeSpan.Zero; left = deadline - DateTime.UtcNow)
        {
            var message = await probe.ReceiveOneAsync(left);
            Assert.False(message is IChainEvent, $"unexpected {message}");
        }
    }
}
