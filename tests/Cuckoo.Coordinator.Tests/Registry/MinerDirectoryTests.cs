using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Staking;
using FsCheck;
using FsCheck.Fluent;
using static Cuckoo.Coordinator.Tests.Registry.RegistryFixtures;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Registry;

public sealed class MinerDirectoryTests
{
    private static readonly BigInteger Stake = Cai.Tokens(50_000);

    private static MinerDirectory WithMiners(int count, string[]? models = null, int credits = 1)
    {
        var directory = new MinerDirectory(Minimum);
        for (var i = 0; i < count; i++)
        {
            directory.Apply(Standing(Miner(i), Stake + Cai.Tokens(i)));
            directory.Admit(Miner(i), models ?? ["llama"], credits);
        }
        return directory;
    }

    [Fact]
    public void Picks_only_eligible_miners_serving_the_model()
    {
        var directory = WithMiners(3);
        directory.Admit(Miner(3), ["whisper"], 1);
        directory.Apply(Standing(Miner(3), Stake));
        directory.Apply(new UpdateStanding(Miner(0)) { Jailed = true });
        directory.SetReachable(Miner(1), false);
        var rng = new Random(1);
        for (var k = 0; k < 200; k++)
        {
            Assert.True(directory.TryPick("llama", null, rng, out var miner));
            Assert.Equal(Miner(2), miner);
        }
        Assert.True(directory.TryPick("whisper", null, rng, out var other));
        Assert.Equal(Miner(3), other);
        Assert.False(directory.TryPick("sdxl", null, rng, out _, out var reason));
        Assert.Equal(NoMinerReason.UnknownModel, reason);
    }

    [Fact]
    public void Exclusion_restores_every_weight_after_the_pick()
    {
        var models = Gen.Zip(Gen.Choose(1, 30), Gen.Choose(0, 1_000_000)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(models, input =>
        {
            var (count, seed) = input;
            var directory = WithMiners(count, ["a", "b"]);
            var rng = new Random(seed);
            var exclude = Enumerable.Range(0, count).Where(_ => rng.Next(3) == 0).Select(Miner).ToHashSet();
            var before = (directory.EligibleWeight("a"), directory.EligibleWeight("b"), directory.List());

            var found = directory.TryPick("a", exclude, rng, out var miner, out var reason);

            Assert.Equal(exclude.Count < count, found);
            if (found) Assert.DoesNotContain(miner, exclude);
            else Assert.Equal(NoMinerReason.AllTried, reason);
            Assert.Equal(before.Item1, directory.EligibleWeight("a"));
            Assert.Equal(before.Item2, directory.EligibleWeight("b"));
            Assert.Equal(before.Item3, directory.List(), MinerInfoComparer.Instance);
        }));
    }

    [Fact]
    public void A_standing_change_moves_the_weight_in_every_pool_of_the_miner()
    {
        var directory = WithMiners(2, ["a", "b"]);
        var both = (UInt128)(Stake * 2 + Cai.Tokens(1));
        Assert.Equal(both, directory.EligibleWeight("a"));
        Assert.Equal(both, directory.EligibleWeight("b"));

        directory.Apply(new UpdateStanding(Miner(1)) { Votes = Cai.Tokens(7) });
        Assert.Equal(both + (UInt128)Cai.Tokens(7), directory.EligibleWeight("a"));
        Assert.Equal(both + (UInt128)Cai.Tokens(7), directory.EligibleWeight("b"));

        directory.Apply(new UpdateStanding(Miner(0)) { Active = false });
        Assert.Equal((UInt128)(Stake + Cai.Tokens(8)), directory.EligibleWeight("b"));
    }

    [Fact]
    public void A_miner_at_or_below_the_minimum_is_ineligible_even_if_marked_active()
    {
        var directory = new MinerDirectory(Minimum);
        directory.Apply(Standing(Miner(0), Minimum) with { Active = true });
        directory.Admit(Miner(0), ["a"], 1);
        Assert.Equal(Ineligibility.BelowMinimumStake, directory.Find(Miner(0))!.Ineligible);
        Assert.False(directory.TryPick("a", null, new Random(1), out _, out var reason));
        Assert.Equal(NoMinerReason.NoneEligible, reason);

        directory.Apply(new UpdateStanding(Miner(0)) { SelfStake = Minimum + 1 });
        Assert.True(directory.TryPick("a", null, new Random(1), out _));
    }

    [Fact]
    public void Admitting_again_replaces_the_models_and_removing_keeps_the_standing()
    {
        var directory = WithMiners(1, ["a", "b"]);
        directory.Admit(Miner(0), ["b", "c"], 2);
        Assert.Equal(UInt128.Zero, directory.EligibleWeight("a"));
        Assert.Equal(["b", "c"], directory.Find(Miner(0))!.Models);

        Assert.True(directory.Remove(Miner(0)));
        Assert.False(directory.Remove(Miner(0)));
        var info = directory.Find(Miner(0))!;
        Assert.Empty(info.Models);
        Assert.Equal(Stake, info.Weight);
        Assert.Equal(Ineligibility.NotAdmitted | Ineligibility.Unreachable | Ineligibility.NoCredits, info.Ineligible);
        Assert.False(directory.TryPick("b", null, new Random(1), out _, out var reason));
        Assert.Equal(NoMinerReason.UnknownModel, reason);
        Assert.False(directory.SetCredits(Miner(0), 3));
    }

    [Fact]
    public void Taking_the_last_credit_makes_a_miner_ineligible_until_it_reports_more()
    {
        var directory = WithMiners(1, credits: 2);
        Assert.True(directory.TryTakeCredit(Miner(0)));
        Assert.True(directory.TryPick("llama", null, new Random(1), out _));
        Assert.True(directory.TryTakeCredit(Miner(0)));
        Assert.False(directory.TryTakeCredit(Miner(0)));
        Assert.False(directory.TryPick("llama", null, new Random(1), out _, out var reason));
        Assert.Equal(NoMinerReason.NoneEligible, reason);
        directory.SetCredits(Miner(0), 1);
        Assert.True(directory.TryPick("llama", null, new Random(1), out _));
    }

    [Fact]
    public void Pinned_picks_stay_in_the_pinned_set_and_say_why_they_fail()
    {
        var directory = WithMiners(5, ["a"]);
        directory.Apply(new UpdateStanding(Miner(4)) { Jailed = true });
        var rng = new Random(9);
        var pinned = new[] { Miner(1), Miner(3), Miner(3), Miner(4), Miner(99) };
        for (var k = 0; k < 300; k++)
        {
            Assert.True(directory.TryPickPinned("a", pinned, null, rng, out var miner, out _));
            Assert.Contains(miner, new[] { Miner(1), Miner(3) });
        }
        Assert.True(directory.TryPickPinned("a", pinned, new HashSet<Address> { Miner(3) }, rng, out var left, out _));
        Assert.Equal(Miner(1), left);
        Assert.False(directory.TryPickPinned("a", pinned, new HashSet<Address> { Miner(1), Miner(3) }, rng, out _, out var reason));
        Assert.Equal(NoMinerReason.AllTried, reason);
        Assert.False(directory.TryPickPinned("b", pinned, null, rng, out _, out reason));
        Assert.Equal(NoMinerReason.NoPinnedMinerEligible, reason);
        Assert.False(directory.TryPickPinned("a", [Miner(4)], null, rng, out _, out reason));
        Assert.Equal(NoMinerReason.NoPinnedMinerEligible, reason);
    }

    [Fact]
    public void Apply_returns_the_change_that_undoes_it()
    {
        var directory = WithMiners(1);
        var before = directory.Find(Miner(0))!;
        var undo = directory.Apply(new UpdateStanding(Miner(0)) { Active = false, SelfStake = Cai.Tokens(1), Jailed = true });
        Assert.Equal(new UpdateStanding(Miner(0)) { Active = true, SelfStake = before.SelfStake, Jailed = false }, undo);
        directory.Apply(undo);
        Assert.Equal(before, directory.Find(Miner(0)), MinerInfoComparer.Instance);
    }

    [Fact]
    public void Coordinators_and_unregistered_addresses_are_never_eligible()
    {
        var directory = new MinerDirectory(Minimum);
        directory.Apply(Standing(Miner(0), Stake) with { Kind = CandidateKind.Coordinator });
        directory.Apply(new UpdateStanding(Miner(1)) { SelfStake = Stake, Active = true });
        directory.Admit(Miner(0), ["a"], 1);
        directory.Admit(Miner(1), ["a"], 1);
        Assert.Equal(Ineligibility.NotAMiner, directory.Find(Miner(0))!.Ineligible);
        Assert.Equal(Ineligibility.NotRegistered | Ineligibility.NoWeight, directory.Find(Miner(1))!.Ineligible);
        Assert.Equal(UInt128.Zero, directory.EligibleWeight("a"));
    }

    [Fact]
    public void A_weight_beyond_any_supply_is_capped_rather_than_overflowing()
    {
        var directory = new MinerDirectory(Minimum);
        var huge = BigInteger.Pow(2, 200);
        for (var i = 0; i < 3; i++)
        {
            directory.Apply(Standing(Miner(i), huge));
            directory.Admit(Miner(i), ["a"], 1);
        }
        Assert.Equal(MinerDirectory.MaxWeight * 3, directory.EligibleWeight("a"));
        Assert.Equal(huge, directory.Find(Miner(0))!.Weight);
    }

    [Fact]
    public void Invalid_input_is_refused_before_anything_changes()
    {
        var directory = WithMiners(1);
        Assert.Throws<ArgumentException>(() => directory.Admit(Miner(0), ["a", " "], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => directory.SetCredits(Miner(0), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => directory.Apply(new UpdateStanding(Miner(0)) { Votes = -1 }));
        Assert.Equal(["llama"], directory.Find(Miner(0))!.Models);
        Assert.True(directory.Find(Miner(0))!.Eligible);
    }

    /// <summary>Value equality of <see cref="MinerInfo"/>, models compared by content.</summary>
    private sealed class MinerInfoComparer : IEqualityComparer<MinerInfo?>
    {
        public static readonly MinerInfoComparer Instance = new();

        private static readonly string[] NoModels = [];

        public bool Equals(MinerInfo? x, MinerInfo? y) =>
            x is null || y is null
                ? x is null && y is null
                : x with { Models = NoModels } == y with { Models = NoModels } && x.Models.SequenceEqual(y.Models);

        public int GetHashCode(MinerInfo? obj) => obj?.Miner.GetHashCode() ?? 0;
    }
}
