using System.Numerics;
using Cuckoo.Coordinator.Trust;
using Xunit;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Tests.Trust;

public sealed class RewardSplitTests
{
    [Fact]
    public void RewardSplit_shares_sum_to_the_budget_and_each_is_within_a_wei_of_its_exact_part()
    {
        var random = new Random(11);
        for (var round = 0; round < 2_000; round++)
        {
            var budget = new BigInteger(random.NextInt64(0, long.MaxValue)) * random.Next(1, 1_000);
            var work = new Dictionary<Address, long>();
            var forfeited = new HashSet<Address>();
            for (var i = random.Next(1, 12); i > 0; i--)
            {
                var miner = Miner(random.Next(1, 40));
                work[miner] = random.Next(0, 3) == 0 ? 0 : random.NextInt64(1, 1_000_000);
                if (random.Next(0, 4) == 0)
                {
                    forfeited.Add(miner);
                }
            }

            var shares = RewardSplit.Split(budget, work, forfeited.Contains);

            var total = work.Where(w => !forfeited.Contains(w.Key)).Sum(w => w.Value);
            var amounts = shares.ToDictionary(s => s.Miner, s => BigInteger.Parse(s.Amount));
            var sum = amounts.Values.Aggregate(BigInteger.Zero, (a, b) => a + b);
            Assert.Equal(total > 0 ? budget : BigInteger.Zero, sum);
            Assert.Equal(work.Where(w => w.Value > 0).Select(w => w.Key).Order(), shares.Select(s => s.Miner));
            foreach (var share in shares)
            {
                Assert.Equal(forfeited.Contains(share.Miner), share.Forfeited);
                if (share.Forfeited || total == 0)
                {
                    Assert.Equal(BigInteger.Zero, amounts[share.Miner]);
                    continue;
                }
                var floor = budget * share.Work / total;
                Assert.InRange(amounts[share.Miner], floor, floor + 1);
            }
        }
    }

    [Fact]
    public void RewardSplit_gives_the_leftover_wei_to_the_largest_remainders()
    {
        var shares = RewardSplit.Split(100, new Dictionary<Address, long> { [Miner(1)] = 1, [Miner(2)] = 1, [Miner(3)] = 1 }, _ => false);
        Assert.Equal(["34", "33", "33"], shares.Select(s => s.Amount));
        shares = RewardSplit.Split(10, new Dictionary<Address, long> { [Miner(1)] = 1, [Miner(2)] = 2 }, _ => false);
        Assert.Equal(["3", "7"], shares.Select(s => s.Amount));
    }

    private static Address Miner(int n)
    {
        var bytes = new byte[Address.Size];
        bytes[0] = 0xcc;
        BitConverter.TryWriteBytes(bytes.AsSpan(16), n);
        return Address.FromBytes(bytes);
    }
}
