using System.Numerics;

namespace Cuckoo.Miner;

/// <summary>How a miner divides its capacity (credits) among the coordinators it serves, in proportion to their weight.</summary>
public static class CapacitySplit
{
    /// <summary>
    /// Largest remainder (Hamilton): each coordinator gets the floor of its exact share, and the tasks left over go one
    /// each to the largest fractional parts (ties: the larger weight, then the lower index), so the shares sum to
    /// <paramref name="capacity"/> unless every weight is 0. Weight 0 gets 0. Caveat: a task cannot be divided, so when
    /// <paramref name="capacity"/> is smaller than the number of coordinators with a positive weight, those with the
    /// smallest shares get 0 (weights 1:1:1 with capacity 2 give 1,1,0).
    /// </summary>
    public static int[] Split(int capacity, IReadOnlyList<BigInteger> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Any(w => w.Sign < 0))
        {
            throw new ArgumentException("A weight cannot be negative.", nameof(weights));
        }
        var shares = new int[weights.Count];
        var total = weights.Aggregate(BigInteger.Zero, (sum, w) => sum + w);
        if (total.IsZero || capacity == 0)
        {
            return shares;
        }
        var remainders = new BigInteger[weights.Count];
        var given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var share = BigInteger.DivRem(capacity * weights[i], total, out remainders[i]);
            shares[i] = (int)share;
            given += shares[i];
        }
        var leftover = Enumerable.Range(0, weights.Count)
            .Where(i => weights[i].Sign > 0)
            .OrderByDescending(i => remainders[i])
            .ThenByDescending(i => weights[i])
            .ThenBy(i => i)
            .Take(capacity - given);
        foreach (var i in leftover)
        {
            shares[i]++;
        }
        return shares;
    }
}
