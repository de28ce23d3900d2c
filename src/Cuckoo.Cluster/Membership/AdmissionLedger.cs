using System.Globalization;
using Cuckoo.Chain;

namespace Cuckoo.Cluster.Membership;

/// <summary>
/// Every node's record of which certificates the cluster's coordinators admitted and revoked. Entries merge in any order
/// and any number of times (a grow-only pair of maps keyed by thumbprint, newest entry wins): a certificate is allowed
/// when its newest admission is newer than its newest revocation. So admissions and revocations may reach a node
/// through pub-sub, a snapshot, or both, and two coordinator nodes may admit at once, without losing either.
/// Only entries whose signature recovers to the cluster's coordinator address are accepted. Not thread-safe: one actor
/// owns it.
/// </summary>
public sealed class AdmissionLedger
{
    private readonly Dictionary<string, MinerAdmitted> _admitted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MinerRevoked> _revoked = new(StringComparer.Ordinal);

    public AdmissionLedger(Address coordinator) => Coordinator = coordinator;

    /// <summary>The address whose signature every entry must carry.</summary>
    public Address Coordinator { get; }

    /// <summary>The allowed admissions, newest per thumbprint.</summary>
    public IEnumerable<MinerAdmitted> Allowed => _admitted.Values.Where(IsAllowed);

    public IEnumerable<MinerRevoked> Revocations => _revoked.Values;

    public AllowListSnapshot Snapshot() => new([.. _admitted.Values], [.. _revoked.Values]);

    public bool IsAllowed(string thumbprint) => _admitted.TryGetValue(thumbprint, out var a) && IsAllowed(a);

    /// <summary>The allowed admission of a cluster member, by the <c>host:port</c> of its Akka address.</summary>
    public MinerAdmitted? AllowedAt(string nodeAddress) =>
        Allowed.Where(a => string.Equals(a.NodeAddress, nodeAddress, StringComparison.Ordinal)).MaxBy(a => a.AdmittedAtMs);

    /// <summary>The allowed admissions of one miner address (one per coordinator cluster it serves, normally one).</summary>
    public IEnumerable<MinerAdmitted> AllowedFor(Address miner) => Allowed.Where(a => a.MinerAddress == miner);

    /// <summary>Merges a signed admission; false when it is malformed, the signature is not the coordinator's, or the entry is older.</summary>
    public bool Merge(MinerAdmitted admission)
    {
        if (!IsWellFormed(admission) || !Verify(AdmissionText(admission), admission.Signature))
        {
            return false;
        }
        if (_admitted.TryGetValue(admission.Thumbprint, out var known) && known.AdmittedAtMs >= admission.AdmittedAtMs)
        {
            return false;
        }
        _admitted[admission.Thumbprint] = admission;
        return true;
    }

    /// <summary>Merges a signed revocation; false when it is malformed, the signature is not the coordinator's, or the entry is older.</summary>
    public bool Merge(MinerRevoked revocation)
    {
        if (revocation is null || !Address.TryParse(revocation.Miner, out _) || !Verify(RevocationText(revocation), revocation.Signature))
        {
            return false;
        }
        if (_revoked.TryGetValue(revocation.Thumbprint, out var known) && known.RevokedAtMs >= revocation.RevokedAtMs)
        {
            return false;
        }
        _revoked[revocation.Thumbprint] = revocation;
        return true;
    }

    /// <summary>Merges every entry of a snapshot; the number of entries that changed something.</summary>
    public int Merge(AllowListSnapshot snapshot) =>
        snapshot.Admitted.Count(Merge) + snapshot.Revoked.Count(Merge);

    /// <summary>What the coordinator signs to admit: every field a member acts on, one per line, so none can be swapped.</summary>
    public static string AdmissionText(MinerAdmitted a) => string.Join('\n',
        "cuckoo-admission-v1",
        "miner:" + a.Miner.ToLowerInvariant(),
        "thumbprint:" + a.Thumbprint,
        "node:" + a.NodeAddress,
        "models:" + string.Join(',', a.Models),
        "capacity:" + a.Capacity.ToString(CultureInfo.InvariantCulture),
        "provider:" + a.Provider,
        "version:" + a.SoftwareVersion,
        "admitted-at:" + a.AdmittedAtMs.ToString(CultureInfo.InvariantCulture));

    public static string RevocationText(MinerRevoked r) => string.Join('\n',
        "cuckoo-revocation-v1",
        "miner:" + r.Miner.ToLowerInvariant(),
        "thumbprint:" + r.Thumbprint,
        "reason:" + r.Reason,
        "revoked-at:" + r.RevokedAtMs.ToString(CultureInfo.InvariantCulture));

    public static MinerAdmitted Sign(EthKey coordinator, MinerAdmitted unsigned) =>
        unsigned with { Signature = PersonalMessage.Sign(coordinator, AdmissionText(unsigned)).ToHex() };

    public static MinerRevoked Sign(EthKey coordinator, MinerRevoked unsigned) =>
        unsigned with { Signature = PersonalMessage.Sign(coordinator, RevocationText(unsigned)).ToHex() };

    /// <summary>
    /// What the wire lets through but the signature does not cover: a null entry or model id (JSON arrays may hold null),
    /// and the letter case of the miner address (signed lowercased), which <see cref="MinerAdmitted.MinerAddress"/>
    /// would throw on as a bad checksum wherever the entry is read later.
    /// </summary>
    private static bool IsWellFormed(MinerAdmitted? a) =>
        a is not null && Address.TryParse(a.Miner, out _) && a.Models.All(m => m is not null);

    private bool IsAllowed(MinerAdmitted a) => !_revoked.TryGetValue(a.Thumbprint, out var r) || r.RevokedAtMs < a.AdmittedAtMs;

    private bool Verify(string text, string signature)
    {
        try
        {
            return PersonalMessage.Verify(text, signature, Coordinator);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
