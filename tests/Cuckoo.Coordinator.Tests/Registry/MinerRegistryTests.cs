using System.Numerics;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Address = Cuckoo.Chain.Address;
using Cuckoo.ChainWatcher;
using Cuckoo.Coordinator.Registry;
using static Cuckoo.Coordinator.Tests.Registry.RegistryFixtures;
using Cai = Cuckoo.Staking.Cai;
using CandidateInfo = Cuckoo.Staking.CandidateInfo;
using CandidateKind = Cuckoo.Staking.CandidateKind;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Registry;

public sealed class MinerRegistryTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly BigInteger Stake = Cai.Tokens(50_000);

    private readonly TestProbe _scheduler;

    public MinerRegistryTests() : base("akka.loglevel = WARNING") => _scheduler = CreateTestProbe();

    private IActorRef Registry(MinerRegistrySettings? settings = null) =>
        Sys.ActorOf(MinerRegistry.Props(settings ?? new MinerRegistrySettings { Seed = 17, ListenOnEventStream = false }));

    /// <summary>Registered, active, admitted and reachable with <paramref name="credits"/> credits for <paramref name="models"/>.</summary>
    private static void Enrol(IActorRef registry, Address miner, BigInteger stake, int credits = 100, params string[] models)
    {
        long block = 1;
        foreach (var e in Registration(miner, stake, block)) registry.Tell(e);
        registry.Tell(new AdmitMiner(miner, models.Length == 0 ? ["llama"] : models, credits));
    }

    private async Task<object> Pick(IActorRef registry, string model = "llama", IReadOnlySet<Address>? exclude = null, IReadOnlyList<Address>? pinned = null)
    {
        registry.Tell(new PickMiner("task-1", model) { Exclude = exclude, Pinned = pinned }, _scheduler.Ref);
        return await _scheduler.ExpectMsgAsync<object>(m => m is MinerPicked or NoMinerAvailable, Timeout);
    }

    private async Task<HashSet<Address>> PickedIn(IActorRef registry, int picks, IReadOnlyList<Address>? pinned = null)
    {
        var seen = new HashSet<Address>();
        for (var k = 0; k < picks; k++)
        {
            seen.Add(Assert.IsType<MinerPicked>(await Pick(registry, pinned: pinned)).Miner);
        }
        return seen;
    }

    private async Task<MinerInfo> Info(IActorRef registry, Address miner)
    {
        registry.Tell(new GetMiners(), _scheduler.Ref);
        return (await _scheduler.ExpectMsgAsync<MinerList>(Timeout)).Miners.Single(m => m.Miner == miner);
    }

    [Fact]
    public async Task Registry_never_picks_a_jailed_miner()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake * 1_000);
        Enrol(registry, Miner(2), Stake);
        registry.Tell(new UpdateStanding(Miner(1)) { Jailed = true });

        Assert.Equal([Miner(2)], await PickedIn(registry, 50));

        registry.Tell(new UpdateStanding(Miner(2)) { Jailed = true });
        Assert.Equal(NoMinerReason.NoneEligible, Assert.IsType<NoMinerAvailable>(await Pick(registry)).Reason);
    }

    [Fact]
    public async Task Registry_jails_a_slashed_miner()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake);
        Enrol(registry, Miner(2), Stake);
        registry.Tell(new CandidateSlashed(Miner(1), Miner(9), "0x01", 1_000, Stake / 10, Stake / 10, At(3)));
        registry.Tell(new WeightChanged(Miner(1), Stake - Stake / 10, 0, true, At(3, 1)));

        Assert.Equal([Miner(2)], await PickedIn(registry, 30));
        var info = await Info(registry, Miner(1));
        Assert.True(info.Jailed);
        Assert.Equal(Stake - Stake / 10, info.Weight);
    }

    [Fact]
    public async Task Registry_picks_only_pinned_miners()
    {
        var registry = Registry();
        for (var i = 1; i <= 6; i++) Enrol(registry, Miner(i), Stake * i);

        Assert.Equal([Miner(2), Miner(5)], (await PickedIn(registry, 60, pinned: [Miner(2), Miner(5)])).Order());

        registry.Tell(new SetReachable(Miner(5), false));
        Assert.Equal([Miner(2)], await PickedIn(registry, 20, pinned: [Miner(2), Miner(5)]));
        var none = Assert.IsType<NoMinerAvailable>(await Pick(registry, pinned: [Miner(5), Miner(42)]));
        Assert.Equal(NoMinerReason.NoPinnedMinerEligible, none.Reason);
    }

    [Fact]
    public async Task Registry_drops_miner_below_minimum_stake()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake);
        Assert.IsType<MinerPicked>(await Pick(registry));

        // An unstake takes the self-stake to the minimum: the contract deactivates the registration.
        registry.Tell(new CandidateActivationChanged(Miner(1), false, Minimum, At(4)));
        registry.Tell(new WeightChanged(Miner(1), Minimum, 0, false, At(4, 1)));
        Assert.Equal(NoMinerReason.NoneEligible, Assert.IsType<NoMinerAvailable>(await Pick(registry)).Reason);
        Assert.Equal(Ineligibility.Inactive | Ineligibility.BelowMinimumStake, (await Info(registry, Miner(1))).Ineligible);

        registry.Tell(new WeightChanged(Miner(1), Minimum + 1, 0, true, At(5)));
        Assert.Equal(Miner(1), Assert.IsType<MinerPicked>(await Pick(registry)).Miner);
    }

    [Fact]
    public async Task Registry_holds_a_higher_minimum_than_the_contract_when_told_to()
    {
        var registry = Registry(new MinerRegistrySettings { Seed = 1, ListenOnEventStream = false, MinimumSelfStake = Stake * 2 });
        Enrol(registry, Miner(1), Stake * 2);
        Enrol(registry, Miner(2), Stake * 2 + 1);
        Assert.Equal([Miner(2)], await PickedIn(registry, 30));
    }

    [Fact]
    public async Task Registry_drops_a_deregistered_miner()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake);
        registry.Tell(new CandidateDeregistered(Miner(1), Miner(9), At(6)));
        registry.Tell(new WeightChanged(Miner(1), 0, 0, false, At(6, 1)));
        Assert.Equal(NoMinerReason.NoneEligible, Assert.IsType<NoMinerAvailable>(await Pick(registry)).Reason);
        Assert.False((await Info(registry, Miner(1))).Registered);
    }

    [Fact]
    public async Task Registry_never_picks_unreachable_removed_or_coordinator_addresses()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake);
        Enrol(registry, Miner(2), Stake);
        Enrol(registry, Miner(3), Stake);
        registry.Tell(new CoordinatorRegistered(Miner(4), Miner(8), "intro", "https://c.example", At(2)));
        registry.Tell(new WeightChanged(Miner(4), Stake * 100, 0, true, At(2, 1)));
        registry.Tell(new AdmitMiner(Miner(4), ["llama"], 100));
        registry.Tell(new SetReachable(Miner(1), false));
        registry.Tell(new RemoveMiner(Miner(2)));

        Assert.Equal([Miner(3)], await PickedIn(registry, 40));

        registry.Tell(new SetReachable(Miner(1), true));
        Assert.Contains(Miner(1), await PickedIn(registry, 40));
    }

    [Fact]
    public async Task Registry_takes_a_credit_per_pick_and_skips_miners_without_one()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake, credits: 2);

        Assert.Equal(1, Assert.IsType<MinerPicked>(await Pick(registry)).FreeCredits);
        Assert.Equal(0, Assert.IsType<MinerPicked>(await Pick(registry)).FreeCredits);
        Assert.Equal(NoMinerReason.NoneEligible, Assert.IsType<NoMinerAvailable>(await Pick(registry)).Reason);

        registry.Tell(new SetCredits(Miner(1), 1));
        registry.Tell(new PickMiner("peek", "llama") { TakeCredit = false }, _scheduler.Ref);
        Assert.Equal(1, (await _scheduler.ExpectMsgAsync<MinerPicked>(Timeout)).FreeCredits);
    }

    [Fact]
    public async Task Registry_skips_miners_already_tried_for_the_task()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake * 50);
        Enrol(registry, Miner(2), Stake);
        var tried = new HashSet<Address> { Miner(1) };
        for (var k = 0; k < 20; k++)
        {
            Assert.Equal(Miner(2), Assert.IsType<MinerPicked>(await Pick(registry, exclude: tried)).Miner);
        }
        tried.Add(Miner(2));
        var none = Assert.IsType<NoMinerAvailable>(await Pick(registry, exclude: tried));
        Assert.Equal((NoMinerReason.AllTried, "task-1", "llama"), (none.Reason, none.TaskId, none.Model));
        Assert.Contains("already tried", none.Explanation);
        // The exclusion was for that pick only.
        Assert.Contains(Miner(1), await PickedIn(registry, 5));
    }

    [Fact]
    public async Task Registry_answers_unknown_model_for_a_model_nobody_serves()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake, models: ["llama", "whisper"]);
        Assert.Equal(NoMinerReason.UnknownModel, Assert.IsType<NoMinerAvailable>(await Pick(registry, model: "sdxl")).Reason);
        Assert.Equal(NoMinerReason.UnknownModel, Assert.IsType<NoMinerAvailable>(await Pick(registry, model: "", pinned: [Miner(1)])).Reason);
        Assert.Equal(Miner(1), Assert.IsType<MinerPicked>(await Pick(registry, model: "whisper")).Miner);
    }

    [Fact]
    public async Task Registry_follows_the_chain_watcher_on_the_event_stream()
    {
        var registry = Registry(new MinerRegistrySettings { Seed = 3 });
        registry.Tell(new GetMiners(), _scheduler.Ref);
        await _scheduler.ExpectMsgAsync<MinerList>(Timeout); // started: subscribed in PreStart

        foreach (var e in Registration(Miner(1), Stake, block: 10)) Sys.EventStream.Publish(e);
        registry.Tell(new AdmitMiner(Miner(1), ["llama"], 5));
        Assert.Equal(Miner(1), Assert.IsType<MinerPicked>(await Pick(registry)).Miner);

        Sys.EventStream.Publish(new CandidateDeregistered(Miner(1), Miner(9), At(11)));
        Assert.Equal(NoMinerReason.NoneEligible, Assert.IsType<NoMinerAvailable>(await Pick(registry)).Reason);
    }

    [Fact]
    public async Task Registry_undoes_the_standing_changes_of_orphaned_blocks()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake);
        Enrol(registry, Miner(2), Stake);
        registry.Tell(new WeightChanged(Miner(1), Stake, Cai.Tokens(9), true, At(20)));
        registry.Tell(new CandidateSlashed(Miner(2), Miner(9), "0x02", 1_000, 1, 1, At(21)));
        registry.Tell(new CandidateDeregistered(Miner(1), Miner(9), At(22)));

        registry.Tell(new ChainReorganized(ForkBlock: 20, OrphanedToBlock: 22));

        var one = await Info(registry, Miner(1));
        var two = await Info(registry, Miner(2));
        Assert.True(one.Eligible && two.Eligible);
        Assert.Equal(Stake + Cai.Tokens(9), one.Weight);

        registry.Tell(new ChainReorganized(ForkBlock: 1, OrphanedToBlock: 20));
        Assert.Equal(Stake, (await Info(registry, Miner(1))).Weight);
    }

    [Fact]
    public async Task Registry_seeds_standing_from_the_contracts_views()
    {
        var registry = Registry();
        registry.Tell(UpdateStanding.From(new CandidateInfo(
            Miner(1), CandidateKind.Miner, Miner(9), true, true, Stake, Cai.Tokens(3), Stake + Cai.Tokens(3), 500, "intro")));
        registry.Tell(new AdmitMiner(Miner(1), ["llama"], 1));
        var picked = Assert.IsType<MinerPicked>(await Pick(registry));
        Assert.Equal((Miner(1), Stake + Cai.Tokens(3)), (picked.Miner, picked.Weight));
    }

    [Fact]
    public async Task Registry_ignores_invalid_commands_and_keeps_its_state()
    {
        var registry = Registry();
        Enrol(registry, Miner(1), Stake, credits: 3);
        registry.Tell(new SetCredits(Miner(1), -1));
        registry.Tell(new AdmitMiner(Miner(1), [""], 1));
        registry.Tell(new UpdateStanding(Miner(1)) { SelfStake = -5 });

        var info = await Info(registry, Miner(1));
        Assert.Equal((3, Stake, true), (info.FreeCredits, info.SelfStake, info.Eligible));
        Assert.Equal(["llama"], info.Models);
    }

    [Fact]
    public async Task Registry_handles_commands_for_unknown_miners_without_unhandled_messages()
    {
        var registry = Registry();
        var unhandled = CreateTestProbe();
        Sys.EventStream.Subscribe(unhandled.Ref, typeof(UnhandledMessage));
        registry.Tell(new RemoveMiner(Miner(1)));
        registry.Tell(new SetReachable(Miner(1), true));
        registry.Tell(new SetCredits(Miner(1), 4));
        registry.Tell(new ChainViewFresh(5));

        // Unhandled messages are published while the registry handles them, so before it answers this.
        registry.Tell(new GetMiners(), _scheduler.Ref);
        Assert.Empty((await _scheduler.ExpectMsgAsync<MinerList>(Timeout)).Miners);
        await unhandled.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Registry_lists_miners_by_model_with_why_they_are_ineligible()
    {
        var registry = Registry();
        Enrol(registry, Miner(2), Stake, models: ["a"]);
        Enrol(registry, Miner(1), Stake, credits: 0, models: ["a", "b"]);
        registry.Tell(new SetReachable(Miner(2), false));

        registry.Tell(new GetMiners("a"), _scheduler.Ref);
        var list = (await _scheduler.ExpectMsgAsync<MinerList>(Timeout)).Miners;
        Assert.Equal([Miner(1), Miner(2)], list.Select(m => m.Miner));
        Assert.Equal([Ineligibility.NoCredits, Ineligibility.Unreachable], list.Select(m => m.Ineligible));

        registry.Tell(new GetMiners("b"), _scheduler.Ref);
        Assert.Equal([Miner(1)], (await _scheduler.ExpectMsgAsync<MinerList>(Timeout)).Miners.Select(m => m.Miner));
    }
}
