using System.Diagnostics.CodeAnalysis;
using Cuckoo.Chain;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>
/// What a coordinator hands a miner to sign: a single-use nonce bound to this chain, contract and coordinator.
/// <see cref="ExpiresAt"/> is a whole second, because the signed typed data carries it as unix seconds.
/// </summary>
/// <param name="Nonce">0x and 32 random bytes in lowercase hex.</param>
public sealed record EnrolmentChallenge(string Nonce, long ChainId, Address Coordinator, Address StakingContract, DateTimeOffset ExpiresAt);

/// <summary>A miner's answer to a challenge, signed by the miner key as EIP-712 <c>Enrolment</c> (<see cref="EnrolmentTypedData"/>).</summary>
/// <param name="CertificateThumbprint">64 lowercase hex digits: SHA-256 of the DER of the TLS certificate the miner's node will present.</param>
/// <param name="Signature">0x and 65 bytes r‖s‖v.</param>
/// <param name="ChainId">
/// The chain the miner signed for. Optional, since the signature's domain already binds it; when sent, a mismatch is
/// refused as <see cref="RefusalReason.WrongChain"/> instead of the less helpful <see cref="RefusalReason.BadSignature"/>.
/// </param>
public sealed record EnrolmentRequest(
    string Nonce,
    Address Miner,
    string CertificateThumbprint,
    IReadOnlyList<string> Models,
    int Capacity,
    string SoftwareVersion,
    string Signature,
    long? ChainId = null)
{
    /// <summary>The <c>host:port</c> the miner's cluster node listens at (signed): the coordinator matches members to admissions by it.</summary>
    public string NodeAddress { get; init; } = "";

    /// <summary>Where the miner's models run: <c>cpu</c> or <c>cuda</c> (signed).</summary>
    public string Provider { get; init; } = "";
}

/// <summary>How an admitted miner joins: the actor system's name, its seed nodes and the TLS thumbprints of the coordinator's nodes to pin.</summary>
/// <param name="SeedNodes">Akka addresses such as <c>akka.ssl.tcp://sys@host:port</c>.</param>
/// <param name="CoordinatorThumbprints">64 lowercase hex digits each (SHA-256 of a certificate's DER).</param>
public sealed record ClusterDescriptor(string SystemName, IReadOnlyList<string> SeedNodes, IReadOnlyList<string> CoordinatorThumbprints);

/// <summary>What the coordinator admitted: the miner, the certificate its node must present, and what it offers.</summary>
/// <param name="AdmittedAt">A whole second (signed as unix seconds).</param>
public sealed record Admission(
    Address Miner, string CertificateThumbprint, IReadOnlyList<string> Models, int Capacity, string SoftwareVersion, DateTimeOffset AdmittedAt)
{
    /// <summary>The <c>host:port</c> the admitted node listens at.</summary>
    public string NodeAddress { get; init; } = "";

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Provider { get; init; } = "";
}

/// <summary>
/// The coordinator's answer on admission. <see cref="Signature"/> is the coordinator key's EIP-712 <c>Admission</c>
/// signature over all of it and the challenge nonce (<see cref="EnrolmentTypedData.AcceptedDigest"/>), so that a miner can
/// check it against the coordinator address registered on chain: the HTTPS certificate proves nothing.
/// </summary>
public sealed record EnrolmentAccepted(Admission Admission, ClusterDescriptor Cluster, Address Coordinator, string Signature);

/// <summary>Why an enrolment was refused. The HTTP status of each is in <see cref="EnrolmentProblems"/>.</summary>
public enum RefusalReason
{
    Malformed,
    UnknownChallenge,
    ExpiredChallenge,
    ReplayedChallenge,
    BadSignature,
    WrongChain,
    Unregistered,
    Deregistered,
    UnderStaked,
    Jailed,
    IncompatibleVersion,
}

/// <param name="Detail">One sentence for the miner's operator.</param>
public sealed record EnrolmentRefused(RefusalReason Reason, string Detail);

/// <summary>Either an <see cref="EnrolmentAccepted"/> or an <see cref="EnrolmentRefused"/>; both convert implicitly.</summary>
public sealed record EnrolmentOutcome
{
    private EnrolmentOutcome(EnrolmentAccepted? accepted, EnrolmentRefused? refused) => (Accepted, Refused) = (accepted, refused);

    public EnrolmentAccepted? Accepted { get; }

    public EnrolmentRefused? Refused { get; }

    [MemberNotNullWhen(true, nameof(Accepted))]
    [MemberNotNullWhen(false, nameof(Refused))]
    public bool IsAccepted => Accepted is not null;

    public T Match<T>(Func<EnrolmentAccepted, T> accepted, Func<EnrolmentRefused, T> refused)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(refused);
        return IsAccepted ? accepted(Accepted) : refused(Refused);
    }

    public static implicit operator EnrolmentOutcome(EnrolmentAccepted accepted) => new(accepted ?? throw new ArgumentNullException(nameof(accepted)), null);

    public static implicit operator EnrolmentOutcome(EnrolmentRefused refused) => new(null, refused ?? throw new ArgumentNullException(nameof(refused)));
}

/// <summary>Thrown by <see cref="EnrolmentClient"/> when the coordinator refused the enrolment (or the challenge was for another chain).</summary>
public sealed class EnrolmentRefusedException(RefusalReason reason, string detail) : Exception(detail)
{
    public RefusalReason Reason { get; } = reason;

    public string Detail { get; } = detail;
}

/// <summary>
/// Thrown by <see cref="EnrolmentClient"/> when the coordinator's side fails the miner's checks: a challenge from another
/// coordinator or contract, or an accepted response whose signature or content does not match. Nothing of it is trusted.
/// </summary>
public sealed class EnrolmentVerificationException(string message) : Exception(message);
