using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Coordinator.Node;

/// <summary>The check a coordinator node makes of its own address before it starts: registered, active, staked over the minimum.</summary>
public static class NodeStanding
{
    /// <summary>Null when the address may run a coordinator node, else the sentence that says why not.</summary>
    public static async Task<string?> CoordinatorRefusalAsync(CuckooStakingClient staking, Address coordinator, CancellationToken cancellationToken)
    {
        var parameters = await staking.GetParametersAsync().WaitAsync(cancellationToken);
        var info = await staking.CandidateOfAsync(coordinator).WaitAsync(cancellationToken);
        var minimum = parameters.MinCoordinatorStake;
        if (!info.Known || info.Kind != CandidateKind.Coordinator)
        {
            return $"{coordinator} is not registered as a coordinator: register it with `cuckoo coordinator register --url URL` first";
        }
        if (!info.Registered || !info.Active)
        {
            return $"coordinator {coordinator} is registered but not active (self-stake {Cai.Format(info.SelfStake)} CAI; it needs more than {Cai.Format(minimum)})";
        }
        if (Behind(info) <= minimum)
        {
            return $"coordinator {coordinator} has {Cai.Format(Behind(info))} CAI behind it; a coordinator node needs more than {Cai.Format(minimum)} CAI";
        }
        return null;
    }

    // The contract counts a candidate active on its self-stake alone (votes add weight, not eligibility).
    private static BigInteger Behind(CandidateInfo info) => info.SelfStake;
}
