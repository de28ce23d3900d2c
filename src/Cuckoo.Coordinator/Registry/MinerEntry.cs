using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Coordinator.Registry;

/// <summary>One miner's state in a <see cref="MinerDirectory"/>.</summary>
internal sealed class MinerEntry(Address address)
{
    public Address Address { get; } = address;

    // Chain standing (and the coordinator's jail); None: not learnt yet, which admission's own check covers.
    public CandidateKind Kind { get; set; }
    public bool Registered { get; set; }
    public bool Active { get; set; }
    public BigInteger SelfStake { get; set; }
    public BigInteger Votes { get; set; }
    public bool Jailed { get; set; }

    // Cluster state.
    public bool Admitted { get; set; }
    public bool Reachable { get; set; }
    public int Credits { get; set; }

    /// <summary>Model → slot in its pool.</summary>
    public Dictionary<string, int> Slots { get; } = new(StringComparer.Ordinal);

    /// <summary>The slot of <see cref="MinerDirectory.CountsBySlot"/> it is counted in.</summary>
    public int CountedSlot { get; set; }

    /// <summary>The weight now in its pools' samplers: <see cref="Weight"/> while eligible, else 0.</summary>
    public UInt128 Sampled { get; set; }

    /// <summary>As the contract's <c>weightOf</c>.</summary>
    public BigInteger Weight => Registered ? SelfStake + Votes : BigInteger.Zero;

    /// <summary><see cref="Weight"/> as a sampler holds it, capped at <see cref="MinerDirectory.MaxWeight"/>.</summary>
    public UInt128 CappedWeight
    {
        get
        {
            var weight = Weight;
            return weight <= BigInteger.Zero ? UInt128.Zero : weight >= (BigInteger)MinerDirectory.MaxWeight ? MinerDirectory.MaxWeight : (UInt128)weight;
        }
    }

    public Ineligibility Why(BigInteger minimumSelfStake) => Why(minimumSelfStake, CappedWeight);

    /// <param name="cappedWeight"><see cref="CappedWeight"/>, when the caller has it (it costs a BigInteger addition).</param>
    public Ineligibility Why(BigInteger minimumSelfStake, UInt128 cappedWeight)
    {
        var why = Ineligibility.None;
        if (!Registered) why |= Ineligibility.NotRegistered;
        if (!Active) why |= Ineligibility.Inactive;
        if (SelfStake <= minimumSelfStake) why |= Ineligibility.BelowMinimumStake;
        if (Jailed) why |= Ineligibility.Jailed;
        if (!Admitted) why |= Ineligibility.NotAdmitted;
        if (!Reachable) why |= Ineligibility.Unreachable;
        if (Credits <= 0) why |= Ineligibility.NoCredits;
        if (Kind == CandidateKind.Coordinator) why |= Ineligibility.NotAMiner;
        if (cappedWeight == UInt128.Zero) why |= Ineligibility.NoWeight;
        return why;
    }
}
