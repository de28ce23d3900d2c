using System.Collections.Frozen;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Cluster.Membership;
using Cuckoo.Coordinator.Admin;

namespace Cuckoo.Coordinator.Node;

/// <summary>
/// The admitted miners as the admin endpoints and the enrolment answer see them: a copy the keeper replaces on every
/// change, with each one's jail as the trust keeper recorded it in <paramref name="jail"/>.
/// </summary>
public sealed class AdmittedMinersView(MinerWeights weights, IJailBook? jail = null) : IAdmittedMiners
{
    private volatile IReadOnlyList<MinerAdmitted> _allowed = [];
    private volatile FrozenDictionary<Address, MinerAdmitted> _byMiner = FrozenDictionary<Address, MinerAdmitted>.Empty;

    public void Update(IReadOnlyList<MinerAdmitted> allowed)
    {
        _byMiner = allowed.GroupBy(a => a.MinerAddress).ToFrozenDictionary(g => g.Key, g => g.MaxBy(a => a.AdmittedAtMs)!);
        _allowed = allowed;
    }

    /// <summary>The miner's newest admission, or null when it holds none (never admitted, or revoked).</summary>
    public MinerAdmitted? Find(Address miner) => _byMiner.GetValueOrDefault(miner);

    public IReadOnlyList<string> Thumbprints() => [.. _allowed.Select(a => a.Thumbprint)];

    public IReadOnlyList<AdmittedMinerView> List() => [.. _allowed.Select(View)];

    private AdmittedMinerView View(MinerAdmitted a)
    {
        string? reason = null;
        var jailed = jail?.IsJailed(a.MinerAddress, out reason) == true;
        return new AdmittedMinerView(
            a.MinerAddress, a.Thumbprint, a.NodeAddress, a.Models, a.Capacity, a.Provider, a.SoftwareVersion,
            weights.Get(a.MinerAddress), DateTimeOffset.FromUnixTimeMilliseconds(a.AdmittedAtMs), jailed, jailed ? reason : null);
    }
}
