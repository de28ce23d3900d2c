using System.Buffers.Binary;
using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Staking;

namespace Cuckoo.Coordinator.Benchmarks;

/// <summary>
/// A network of miners with stakes in wei, 20,000 CAI to about 10 million each, the same for every benchmark of one
/// size and seed; and the cumulative scan that other nodes pick with, as the baseline.
/// </summary>
internal sealed class Population
{
    public const string Model = "llama";

    public Population(int size, int seed = 1)
    {
        var rng = new Random(seed);
        Weights = new UInt128[size];
        Miners = new Address[size];
        Sampler = new FenwickSampler(size);
        Directory = new MinerDirectory(new StakingParameters().MinMinerStake);
        var address = new byte[Address.Size];
        for (var i = 0; i < size; i++)
        {
            var stake = Cai.Tokens(20_001 + rng.NextInt64(10_000_000));
            Weights[i] = (UInt128)stake;
            Sampler.Set(i, Weights[i]);
            BinaryPrimitives.WriteInt32BigEndian(address.AsSpan(16), i + 1);
            Miners[i] = Address.FromBytes(address);
            Directory.Apply(new UpdateStanding(Miners[i])
            {
                Kind = CandidateKind.Miner, Registered = true, Active = true, SelfStake = stake, Votes = BigInteger.Zero,
            });
            // Three models each, so that a standing change touches three samplers, as it would on a real network.
            Directory.Admit(Miners[i], [Model, $"m{i % 7}", $"m{7 + i % 11}"], freeCredits: 1_000_000);
        }
    }

    public UInt128[] Weights { get; }

    public Address[] Miners { get; }

    public FenwickSampler Sampler { get; }

    public MinerDirectory Directory { get; }

    public UInt128 Total => Sampler.Total;

    /// <summary>The linear cumulative scan: O(n) per pick, O(1) per update.</summary>
    public static int ScanPick(UInt128[] weights, UInt128 r)
    {
        var cumulative = UInt128.Zero;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (r < cumulative)
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(r), "Not below the total weight.");
    }

    /// <summary>r uniform in [0, bound), drawn the way the sampler draws it (rejection on the bits of bound − 1).</summary>
    public static UInt128 Below(Random rng, UInt128 bound)
    {
        var mask = UInt128.MaxValue >> (int)UInt128.LeadingZeroCount(bound - 1);
        Span<byte> bytes = stackalloc byte[16];
        while (true)
        {
            rng.NextBytes(bytes);
            var value = BinaryPrimitives.ReadUInt128LittleEndian(bytes) & mask;
            if (value < bound)
            {
                return value;
            }
        }
    }

    /// <summary><paramref name="count"/> draws below the total, the same for the sampler and the scan.</summary>
    public UInt128[] Draws(int count, int seed)
    {
        var rng = new Random(seed);
        var draws = new UInt128[count];
        for (var i = 0; i < count; i++) draws[i] = Below(rng, Total);
        return draws;
    }
}
