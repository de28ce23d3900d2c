using System.Numerics;
using Cuckoo.ChainWatcher;
using Cuckoo.Coordinator.Registry;
using static Cuckoo.Coordinator.Tests.Registry.RegistryFixtures;
using CandidateKind = Cuckoo.Staking.CandidateKind;
using Cai = Cuckoo.Staking.Cai;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Registry;

public sealed class ChainStandingTests
{
    private static readonly BigInteger Stake = Cai.Tokens(30_000);

    [Fact]
    public void Registration_activation_and_weight_become_the_standing_the_contract_has()
    {
        var directory = new MinerDirectory(Minimum);
        foreach (var e in Registration(Miner(1), Stake, block: 5))
        {
            if (ChainStanding.From(e) is { } update) directory.Apply(update);
        }
        directory.Apply(ChainStanding.From(new WeightChanged(Miner(1), Stake, Cai.Tokens(5), true, At(6)))!);

        var info = directory.Find(Miner(1))!;
        Assert.Equal((CandidateKind.Miner, true, true, Stake, Cai.Tokens(5)), (info.Kind, info.Registered, info.Active, info.SelfStake, info.Votes));
        Assert.Equal(Stake + Cai.Tokens(5), info.Weight);
    }

    [Fact]
    public void Deregistration_slash_and_coordinator_registration_map_to_their_updates()
    {
        Assert.Equal(
            new UpdateStanding(Miner(1)) { Registered = false, Active = false },
            ChainStanding.From(new CandidateDeregistered(Miner(1), Miner(2), At(1))));
        Assert.Equal(
            new UpdateStanding(Miner(1)) { Jailed = true },
            ChainStanding.From(new CandidateSlashed(Miner(1), Miner(3), "0x01", 1_000, 5, 5, At(1))));
        Assert.Null(ChainStanding.From(new CandidateSlashed(Miner(1), Miner(3), "0x01", 1_000, 5, 5, At(1)), jailOnSlash: false));
        Assert.Equal(
            new UpdateStanding(Miner(4)) { Kind = CandidateKind.Coordinator, Registered = true },
            ChainStanding.From(new CoordinatorRegistered(Miner(4), Miner(5), "intro", "https://c.example", At(1))));
        Assert.Equal(
            new UpdateStanding(Miner(1)) { Active = false, SelfStake = 7, Votes = 3 },
            ChainStanding.From(new WeightChanged(Miner(1), 7, 3, false, At(1))));
    }

    [Fact]
    public void Events_that_change_no_standing_map_to_nothing()
    {
        Assert.Null(ChainStanding.From(new StakeChanged(Miner(1), StakeChangeKind.Staked, 5, 5, null, At(1))));
        Assert.Null(ChainStanding.From(new VoteChanged(Miner(1), Miner(2), 5, At(1))));
        Assert.Null(ChainStanding.From(new RewardsClaimed(Miner(1), 5, At(1))));
        Assert.Null(ChainStanding.From(new CommissionChanged(Miner(1), 100, 3, At(1))));
    }

    [Fact]
    public void Undo_log_returns_newest_first_and_forgets_blocks_beyond_its_window()
    {
        var log = new StandingUndoLog(window: 10);
        for (var block = 1; block <= 30; block++)
        {
            log.Record(block, new UpdateStanding(Miner(block)) { Jailed = false });
        }
        Assert.Equal(10, log.Count);

        var undone = log.TakeAfter(forkBlock: 27);
        Assert.Equal([Miner(30), Miner(29), Miner(28)], undone.Select(u => u.Miner));
        Assert.Equal(7, log.Count);
        Assert.Empty(log.TakeAfter(forkBlock: 27));
    }
}
