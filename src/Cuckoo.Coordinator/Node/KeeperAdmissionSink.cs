using Akka.Actor;
using Akka.Hosting;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Cluster.Membership;

namespace Cuckoo.Coordinator.Node;

/// <summary>
/// Where enrolment hands an admitted miner: the membership keeper signs it, puts its certificate on this node's
/// allow-list and tells the cluster. The HTTP answer waits for that, so the miner never dials before it may.
/// </summary>
public sealed class KeeperAdmissionSink(ActorRegistry registry, IMinerEligibility eligibility, MinerWeights weights) : IAdmissionSink
{
    /// <summary>Bounds the wait for the keeper; it answers at once unless the node is shutting down.</summary>
    private static readonly TimeSpan KeeperTimeout = TimeSpan.FromSeconds(5);

    public async Task AdmitAsync(Admission admission, CancellationToken cancellationToken)
    {
        var keeper = await registry.GetAsync<MembershipKeeper>(cancellationToken);
        var standing = await eligibility.CheckAsync(admission.Miner, cancellationToken);
        weights.Set(admission.Miner, standing.Weight);
        var unsigned = new MinerAdmitted(
            admission.Miner.ToString(), admission.CertificateThumbprint, admission.NodeAddress, [.. admission.Models],
            admission.Capacity, admission.Provider, admission.SoftwareVersion, AdmittedAtMs: 0, Signature: "");
        await keeper.Ask<MinerAdmissionApplied>(new AdmitMiner(unsigned), KeeperTimeout, cancellationToken);
    }
}
