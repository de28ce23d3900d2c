using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.ChainWatcher;
using Cuckoo.Coordinator.Registry;
using CandidateKind = Cuckoo.Staking.CandidateKind;
using StakingParameters = Cuckoo.Staking.StakingParameters;

namespace Cuckoo.Coordinator.Tests.Registry;

internal static class RegistryFixtures
{
    public static readonly BigInteger Minimum = new StakingParameters().MinMinerStake;

    /// <summary>A distinct, non-zero address per number.</summary>
    public static Address Miner(int n)
    {
        var bytes = new byte[Address.Size];
        bytes[0] = 0xaa;
        BitConverter.TryWriteBytes(bytes.AsSpan(16), n);
        return Address.FromBytes(bytes);
    }

    /// <summary>A registered miner's standing as the contract would have it: active exactly when above the minimum.</summary>
    public static UpdateStanding Standing(Address miner, BigInteger selfStake, BigInteger? votes = null) => new(miner)
    {
        Kind = CandidateKind.Miner,
        Registered = true,
        Active = selfStake > Minimum,
        SelfStake = selfStake,
        Votes = votes ?? BigInteger.Zero,
    };

    public static ChainEventPosition At(long block, long logIndex = 0) =>
        new(block, $"0x{block:x64}", $"0x{block * 1_000 + logIndex:x64}", logIndex);

    /// <summary>The contract's events for a registration of <paramref name="miner"/> with <paramref name="selfStake"/>, in its order.</summary>
    public static IChainEvent[] Registration(Address miner, BigInteger selfStake, long block) =>
    [
        new MinerRegistered(miner, Miner(1_000_000 + (int)block), "intro", At(block, 0)),
        new CandidateActivationChanged(miner, true, selfStake, At(block, 1)),
        new WeightChanged(miner, selfStake, BigInteger.Zero, true, At(block, 2)),
    ];
}
