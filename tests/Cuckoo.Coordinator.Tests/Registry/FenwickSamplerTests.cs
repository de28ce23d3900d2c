using Cuckoo.Coordinator.Registry;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Registry;

public sealed class FenwickSamplerTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    // Weights from 0 (one in four) to 2^64 × 2^60: both halves of UInt128 get exercised.
    private static readonly Gen<UInt128> Weights = Gen.Frequency(
        (1, Gen.Constant(UInt128.Zero)),
        (3, from low in ArbMap.Default.GeneratorFor<ulong>()
            from shift in Gen.Choose(0, 60)
            select (UInt128)low << shift));

    // Slots up to 300: many blocks of 16 and several tree levels, and growth part of every longer run.
    private static readonly Arbitrary<(int Slot, UInt128 Weight)[]> Updates =
        Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 300), Weights)).ToArbitrary();

    [Fact]
    public void Sampler_matches_a_naive_reference_after_any_updates()
    {
        Check.One(Quick, Prop.ForAll(Updates, ArbMap.Default.ArbFor<int>(), (updates, seed) =>
        {
            var sampler = new FenwickSampler(capacity: 1);
            var reference = new List<UInt128>();
            foreach (var (slot, weight) in updates)
            {
                sampler.Set(slot, weight);
                while (reference.Count <= slot) reference.Add(UInt128.Zero);
                reference[slot] = weight;
            }

            Assert.Equal(reference.Count, sampler.Count);
            var prefix = UInt128.Zero;
            for (var i = 0; i < reference.Count; i++)
            {
                Assert.Equal(reference[i], sampler.Get(i));
                Assert.Equal(prefix, sampler.PrefixSum(i));
                if (reference[i] > UInt128.Zero)
                {
                    // Both ends of the slot's cumulative range, where an off-by-one would show.
                    Assert.Equal(i, sampler.Pick(prefix));
                    Assert.Equal(i, sampler.Pick(prefix + reference[i] - 1));
                }
                prefix += reference[i];
            }
            Assert.Equal(prefix, sampler.Total);

            if (prefix > UInt128.Zero)
            {
                var rng = new Random(seed);
                for (var k = 0; k < 20; k++)
                {
                    var r = FenwickSampler.Below(rng, prefix);
                    Assert.Equal(NaivePick(reference, r), sampler.Pick(r));
                }
            }
        }));
    }

    [Fact]
    public void A_zero_weight_slot_is_never_picked()
    {
        Check.One(Quick, Prop.ForAll(Updates, ArbMap.Default.ArbFor<int>(), (updates, seed) =>
        {
            var sampler = new FenwickSampler();
            foreach (var (slot, weight) in updates) sampler.Set(slot, weight);
            if (sampler.Total == UInt128.Zero)
            {
                Assert.Throws<InvalidOperationException>(() => sampler.Pick(new Random(seed)));
                return;
            }
            var rng = new Random(seed);
            for (var k = 0; k < 200; k++)
            {
                Assert.NotEqual(UInt128.Zero, sampler.Get(sampler.Pick(rng)));
            }
        }));
    }

    [Fact]
    public void Updates_move_the_cumulative_ranges()
    {
        var sampler = new FenwickSampler();
        sampler.Set(0, 10);
        sampler.Set(1, 20);
        sampler.Set(2, 30);
        Assert.Equal((UInt128)60, sampler.Total);
        Assert.Equal(1, sampler.Pick(10));
        Assert.Equal(2, sampler.Pick(30));

        sampler.Set(1, 0);
        Assert.Equal((UInt128)40, sampler.Total);
        Assert.Equal(0, sampler.Pick(9));
        Assert.Equal(2, sampler.Pick(10));

        sampler.Set(1, 5);
        sampler.Set(0, 0);
        Assert.Equal((UInt128)35, sampler.Total);
        Assert.Equal(1, sampler.Pick(0));
        Assert.Equal(1, sampler.Pick(4));
        Assert.Equal(2, sampler.Pick(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Pick(35));
    }

    [Fact]
    public void Zero_weights_around_a_block_boundary_are_skipped()
    {
        // Only the last slot of the second block and the first of the third weigh anything.
        var sampler = new FenwickSampler();
        for (var slot = 0; slot < 48; slot++) sampler.Set(slot, 0u);
        sampler.Set(2 * FenwickSampler.BlockSize - 1, 3u);
        sampler.Set(2 * FenwickSampler.BlockSize, 2u);
        Assert.Equal(31, sampler.Pick(0u));
        Assert.Equal(31, sampler.Pick(2u));
        Assert.Equal(32, sampler.Pick(3u));
        Assert.Equal(32, sampler.Pick(4u));
        Assert.Equal((UInt128)3u, sampler.PrefixSum(32));
        Assert.Equal((UInt128)5u, sampler.PrefixSum(33));
    }

    [Fact]
    public void Sampler_grows_and_keeps_its_weights()
    {
        var sampler = new FenwickSampler(capacity: 2);
        sampler.Set(0, 7);
        sampler.Set(1, 0);
        sampler.Set(1_000, 3);
        Assert.Equal(1_001, sampler.Count);
        Assert.Equal((UInt128)10, sampler.Total);
        Assert.Equal(0, sampler.Pick(6));
        Assert.Equal(1_000, sampler.Pick(7));
        Assert.Equal((UInt128)7, sampler.PrefixSum(1_000));
        Assert.Equal(UInt128.Zero, sampler.Get(5_000));
    }

    [Fact]
    public void Stakes_in_wei_of_a_hundred_thousand_miners_sum_exactly()
    {
        // 1e27 wei is the whole initial supply: far more than any one miner can hold.
        var each = UInt128.Parse("1000000000000000000000000000");
        var sampler = new FenwickSampler();
        for (var i = 0; i < 100_000; i++) sampler.Set(i, each + (UInt128)i);
        var expected = each * 100_000 + (UInt128)(100_000L * 99_999 / 2);
        Assert.Equal(expected, sampler.Total);
        Assert.Equal(99_999, sampler.Pick(expected - 1));
        Assert.Equal(50_000, sampler.Pick(sampler.PrefixSum(50_000)));
    }

    [Fact]
    public void An_update_that_would_overflow_the_total_is_refused_and_changes_nothing()
    {
        var sampler = new FenwickSampler();
        sampler.Set(0, UInt128.MaxValue - 5);
        Assert.Throws<OverflowException>(() => sampler.Set(1, 6));
        Assert.Equal(UInt128.MaxValue - 5, sampler.Total);
        Assert.Equal(UInt128.Zero, sampler.Get(1));
        sampler.Set(1, 5);
        Assert.Equal(UInt128.MaxValue, sampler.Total);
        Assert.Equal(1, sampler.Pick(UInt128.MaxValue - 1));
    }

    [Fact]
    public void Random_draws_stay_below_the_bound_for_any_width()
    {
        var rng = new Random(7);
        UInt128[] bounds =
        [
            1, 2, 3, (UInt128)long.MaxValue, (UInt128)long.MaxValue + 1, (UInt128)ulong.MaxValue + 1,
            ((UInt128)1 << 100) + 1, UInt128.MaxValue / 3 * 2, UInt128.MaxValue,
        ];
        foreach (var bound in bounds)
        {
            for (var k = 0; k < 2_000; k++)
            {
                Assert.True(FenwickSampler.Below(rng, bound) < bound);
            }
        }
        Assert.Equal(UInt128.Zero, FenwickSampler.Below(rng, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FenwickSampler.Below(rng, 0));
    }

    private static int NaivePick(List<UInt128> weights, UInt128 r)
    {
        var cumulative = UInt128.Zero;
        for (var i = 0; i < weights.Count; i++)
        {
            cumulative += weights[i];
            if (r < cumulative) return i;
        }
        throw new InvalidOperationException("r is not below the total.");
    }
}
