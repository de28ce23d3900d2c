using System.Numerics;

namespace Cuckoo.Miner.Tests;

public sealed class CapacitySplitTests
{
    private static int[] Split(int capacity, params long[] weights) => CapacitySplit.Split(capacity, [.. weights.Select(w => new BigInteger(w))]);

    [Fact]
    public void Shares_are_proportional_to_weight()
    {
        Assert.Equal([5, 3, 2], Split(10, 50, 30, 20));
        Assert.Equal([2, 2, 2], Split(6, 7, 7, 7));
    }

    [Fact]
    public void Two_coordinators_of_different_stake_share_the_capacity()
    {
        Assert.Equal([3, 1], Split(4, 3, 1));
        // Stake in wei: the split is exact on numbers far beyond a long.
        var cai = BigInteger.Pow(10, 18);
        Assert.Equal([3, 1], CapacitySplit.Split(4, [300_000 * cai, 100_000 * cai]));
    }

    [Theory]
    [InlineData(7, new long[] { 1, 1, 1 })]
    [InlineData(10, new long[] { 5, 3, 1, 1 })]
    [InlineData(1, new long[] { 2, 9, 4 })]
    [InlineData(1024, new long[] { 123456789, 987654321, 1, 0, 55 })]
    public void Shares_sum_to_the_capacity(int capacity, long[] weights)
    {
        var shares = Split(capacity, weights);
        Assert.Equal(capacity, shares.Sum());
        // Largest remainder: no share is more than one task away from its exact quota.
        var total = weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.True(Math.Abs(shares[i] - (double)capacity * weights[i] / total) < 1, $"share {i}: {shares[i]}");
        }
    }

    [Fact]
    public void Zero_weight_gets_nothing()
    {
        Assert.Equal([0, 4, 0], Split(4, 0, 9, 0));
        Assert.Equal([0, 0], Split(4, 0, 0));
        Assert.Equal([], Split(4));
        Assert.Equal([0, 0], Split(0, 1, 1));
    }

    [Fact]
    public void Capacity_smaller_than_the_coordinators_leaves_the_smallest_with_nothing()
    {
        Assert.Equal([1, 0, 1], Split(2, 5, 1, 3));
        Assert.Equal([2, 0, 0], Split(2, 10, 2, 1));
        // Equal weights: the lower index first, deterministically.
        Assert.Equal([1, 1, 0], Split(2, 1, 1, 1));
        Assert.Equal([0, 1], Split(1, 1, 2));
    }

    [Fact]
    public void Negative_weights_and_capacity_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Split(2, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Split(-1, 1));
    }
}
