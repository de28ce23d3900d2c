using System.Numerics;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>A period's budget shared out in proportion to work.</summary>
public static class RewardSplit
{
    /// <summary>
    /// Each miner's share of <paramref name="budget"/> wei: budget × work / Σwork over the miners not in
    /// <paramref name="forfeited"/>, by largest remainder: every share rounds down, and the wei left over go one each to
    /// the largest remainders (ties by address), so the shares sum to the budget exactly and never above it. Forfeited
    /// miners, and everyone when nobody else has work, get zero.
    /// </summary>
    public static IReadOnlyList<PeriodShare> Split(BigInteger budget, IReadOnlyDictionary<Address, long> work, Func<Address, bool> forfeited)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(forfeited);
        var miners = work.Where(w => w.Value > 0).OrderBy(w => w.Key).ToList();
        var paid = miners.Where(w => !forfeited(w.Key)).ToList();
        BigInteger total = paid.Aggregate(BigInteger.Zero, (sum, w) => sum + w.Value);
        var amounts = new Dictionary<Address, BigInteger>();
        if (total > 0 && budget > 0)
        {
            var remainders = new List<(Address Miner, BigInteger Remainder)>(paid.Count);
            BigInteger given = 0;
            foreach (var (miner, units) in paid)
            {
                var amount = BigInteger.DivRem(budget * units, total, out var remainder);
                amounts[miner] = amount;
                given += amount;
                remainders.Add((miner, remainder));
            }
            var left = budget - given;
            foreach (var (miner, _) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Miner).Take((int)left))
            {
                amounts[miner] += 1;
            }
        }
        return [.. miners.Select(w => new PeriodShare(
            w.Key, w.Value, amounts.GetValueOrDefault(w.Key).ToString(System.Globalization.CultureInfo.InvariantCulture), forfeited(w.Key)))];
    }
}
