using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Staking;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Registry;

/// <summary>
/// Over 100,000 seeded picks, each miner's share must fit its share of the weight: Pearson's chi-square with
/// k − 1 degrees of freedom, rejected at p ≤ 0.01. Seeds are fixed, so a pass is a pass every run.
/// </summary>
public sealed class FairnessTests
{
    private const int Picks = 100_000;
    private const double Alpha = 0.01;

    // Weights in wei spread over three orders of magnitude, several above 2^64.
    private static readonly BigInteger[] Stakes =
        [.. new long[] { 20_001, 25_000, 40_000, 80_000, 150_000, 300_000, 1_000_000, 5_000_000, 20_000_000, 3_000 }.Select(Cai.Tokens)];

    [Theory]
    [InlineData(1, 0.01, 6.6349)]
    [InlineData(4, 0.01, 13.2767)]
    [InlineData(9, 0.01, 21.6660)]
    [InlineData(9, 0.05, 16.9190)]
    [InlineData(99, 0.01, 134.6416)]
    public void Chi_square_critical_values_match_the_tables(int degreesOfFreedom, double alpha, double tabled)
    {
        Assert.Equal(tabled, ChiSquare.CriticalValue(degreesOfFreedom, alpha), 3);
        Assert.Equal(alpha, ChiSquare.PValue(tabled, degreesOfFreedom), 4);
    }

    [Fact]
    public void Sampler_picks_in_proportion_to_weight()
    {
        var sampler = new FenwickSampler();
        for (var i = 0; i < Stakes.Length; i++) sampler.Set(i, (UInt128)Stakes[i]);
        sampler.Set(Stakes.Length, UInt128.Zero);
        var rng = new Random(20_251_101);
        var counts = new long[Stakes.Length + 1];
        for (var k = 0; k < Picks; k++) counts[sampler.Pick(rng)]++;

        Assert.Equal(0, counts[^1]);
        AssertFits(counts[..^1], Stakes);
    }

    [Fact]
    public void Chi_square_rejects_picks_that_ignore_weight()
    {
        // The check itself must be able to fail: uniform picks over unequal weights.
        var rng = new Random(3);
        var counts = new long[Stakes.Length];
        for (var k = 0; k < Picks; k++) counts[rng.Next(Stakes.Length)]++;
        var (statistic, critical, p) = Fit(counts, Stakes);
        Assert.True(statistic > critical, $"chi-square {statistic:F1} should exceed {critical:F1}");
        Assert.True(p < Alpha);
    }

    [Fact]
    public void Random_draws_above_64_bits_are_uniform()
    {
        // Six equal sixths of a bound that is not a power of two: a modulo would favour the low ones.
        var bound = (UInt128.MaxValue / 4) * 3 + 1;
        var rng = new Random(11);
        var counts = new long[6];
        for (var k = 0; k < Picks; k++) counts[(int)(FenwickSampler.Below(rng, bound) / (bound / 6 + 1))]++;
        AssertFits(counts, [.. Enumerable.Repeat(BigInteger.One, 6)]);
    }

    [Fact]
    public void Directory_picks_with_exclusions_in_proportion_to_the_remaining_weight()
    {
        var (directory, miners) = Directory(Stakes);
        // The two heaviest and one light miner already tried: the others share by weight among themselves.
        var exclude = new HashSet<Address> { miners[8], miners[7], miners[0] };
        var rng = new Random(42);
        var counts = new long[miners.Length];
        for (var k = 0; k < Picks; k++)
        {
            Assert.True(directory.TryPick("llama", exclude, rng, out var miner));
            counts[Array.IndexOf(miners, miner)]++;
        }

        var kept = Enumerable.Range(0, miners.Length).Where(i => !exclude.Contains(miners[i])).ToArray();
        Assert.All(exclude, a => Assert.Equal(0, counts[Array.IndexOf(miners, a)]));
        AssertFits([.. kept.Select(i => counts[i])], [.. kept.Select(i => Stakes[i] + Cai.Tokens(1_000))]);
    }

    [Fact]
    public void Pinned_picks_are_in_proportion_to_weight_among_the_pinned()
    {
        var (directory, miners) = Directory(Stakes);
        int[] pinnedIndexes = [1, 4, 6, 8];
        var pinned = pinnedIndexes.Select(i => miners[i]).ToList();
        var rng = new Random(5);
        var counts = new long[miners.Length];
        for (var k = 0; k < Picks; k++)
        {
            Assert.True(directory.TryPickPinned("llama", pinned, null, rng, out var miner, out _));
            counts[Array.IndexOf(miners, miner)]++;
        }

        Assert.Equal(Picks, pinnedIndexes.Sum(i => counts[i]));
        AssertFits([.. pinnedIndexes.Select(i => counts[i])], [.. pinnedIndexes.Select(i => Stakes[i] + Cai.Tokens(1_000))]);
    }

    // Every stake becomes self-stake plus 1,000 CAI of votes; the last one is below the minimum and never picked.
    private static (MinerDirectory Directory, Address[] Miners) Directory(BigInteger[] stakes)
    {
        var directory = new MinerDirectory(Cai.Tokens(20_000));
        var miners = new Address[stakes.Length];
        for (var i = 0; i < stakes.Length; i++)
        {
            miners[i] = RegistryFixtures.Miner(i);
            directory.Apply(RegistryFixtures.Standing(miners[i], stakes[i], Cai.Tokens(1_000)));
            directory.Admit(miners[i], ["llama", $"only-{i}"], freeCredits: 1);
        }
        return (directory, miners[..^1]);
    }

    private static void AssertFits(long[] counts, BigInteger[] weights)
    {
        var (statistic, critical, p) = Fit(counts, weights);
        Assert.True(p > Alpha, $"chi-square {statistic:F2} over {counts.Length - 1} degrees of freedom (critical {critical:F2}): p = {p:G3}");
        Assert.True(statistic < critical);
    }

    private static (double Statistic, double Critical, double P) Fit(long[] counts, BigInteger[] weights)
    {
        var total = weights.Aggregate(BigInteger.Zero, (a, b) => a + b);
        var n = counts.Sum();
        var expected = weights.Select(w => (double)(w * 1_000_000_000 / total) / 1e9 * n).ToArray();
        var degreesOfFreedom = counts.Length - 1;
        var statistic = ChiSquare.Statistic(counts, expected);
        return (statistic, ChiSquare.CriticalValue(degreesOfFreedom, Alpha), ChiSquare.PValue(statistic, degreesOfFreedom));
    }
}
