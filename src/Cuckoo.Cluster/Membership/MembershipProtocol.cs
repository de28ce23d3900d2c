using Cuckoo.Chain;
using Cuckoo.Cluster.Serialization;

namespace Cuckoo.Cluster.Membership;

/// <summary>
/// A coordinator's word that a miner's certificate may associate: signed by the cluster's coordinator key (EIP-191 over
/// <see cref="AdmissionLedger.AdmissionText"/>), so that a member relaying it cannot forge or alter one.
/// </summary>
[WireManifest("membership.miner-admitted.v1")]
public sealed record MinerAdmitted(
    string Miner,
    string Thumbprint,
    string NodeAddress,
    string[] Models,
    int Capacity,
    string Provider,
    string SoftwareVersion,
    long AdmittedAtMs,
    string Signature) : IWireMessage
{
    public Address MinerAddress => Address.Parse(Miner);
}

/// <summary>A coordinator's word that a certificate may no longer associate, and why; signed like <see cref="MinerAdmitted"/>.</summary>
[WireManifest("membership.miner-revoked.v1")]
public sealed record MinerRevoked(string Miner, string Thumbprint, string Reason, long RevokedAtMs, string Signature) : IWireMessage
{
    public Address MinerAddress => Address.Parse(Miner);
}

/// <summary>Asks a coordinator's keeper for everything it knows; answered with <see cref="AllowListSnapshot"/>.</summary>
[WireManifest("membership.allow-list-requested.v1")]
public sealed record AllowListRequested(string Requester) : IWireMessage;

/// <summary>Every admission and revocation a keeper holds; each entry carries its own signature.</summary>
[WireManifest("membership.allow-list.v1")]
public sealed record AllowListSnapshot(MinerAdmitted[] Admitted, MinerRevoked[] Revoked) : IWireMessage;

/// <summary>Local: an enrolment at this coordinator admitted a miner (sent by the enrolment sink).</summary>
public sealed record AdmitMiner(MinerAdmitted Admission);

/// <summary>Local: stop admitting this miner (its standing on chain fell, or an operator said so).</summary>
public sealed record RevokeMiner(Address Miner, string Reason);

/// <summary>Local: look at this miner's standing on chain again (a chain event named it).</summary>
public sealed record RecheckMiner(Address Miner);

/// <summary>Local: what the keeper holds now, for the admin endpoint and tests.</summary>
public sealed record GetAdmissions
{
    public static GetAdmissions Instance { get; } = new();
}

public sealed record Admissions(IReadOnlyList<MinerAdmitted> Allowed, IReadOnlyList<MinerRevoked> Revoked);

/// <summary>Local: the keeper's reply once an admission is applied to this node's allow-list.</summary>
public sealed record MinerAdmissionApplied(string Thumbprint);

/// <summary>Published on the local event stream when this node learns it was revoked (miners stop serving at once).</summary>
public sealed record SelfRevoked(string Reason);

/// <summary>The keeper's topic and path, fixed: every node subscribes to the one and coordinators answer on the other.</summary>
public static class MembershipPaths
{
    public const string Topic = "cuckoo.membership";
    public const string KeeperName = "membership";
    public const string KeeperPath = "/user/" + KeeperName;
}

internal sealed record RecheckAll
{
    public static RecheckAll Instance { get; } = new();
}

internal sealed record EnforceMember(Akka.Actor.Address Address);

internal sealed record StandingChecked(Address Miner, bool Eligible, string Detail);

internal sealed record RequestSnapshot
{
    public static RequestSnapshot Instance { get; } = new();
}
