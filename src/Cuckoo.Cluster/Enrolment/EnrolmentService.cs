using Cuckoo.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>
/// The coordinator's side of enrolment: issues challenges and admits the miners that answer one correctly and are eligible.
/// Refusals come in order of cost: shape, chain id, challenge, signature (no chain call before it has passed), version,
/// then eligibility (chain). The first answer with a valid signature uses the challenge up, whatever follows.
/// </summary>
public sealed class EnrolmentService
{
    private readonly EnrolmentOptions _options;
    private readonly EthKey _coordinatorKey;
    private readonly Func<ClusterDescriptor> _cluster;
    private readonly IMinerEligibility _eligibility;
    private readonly IAdmissionSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemanticVersion _minimumVersion;

    public EnrolmentService(
        EnrolmentOptions options, EthKey coordinatorKey, long chainId, Address stakingContract, Func<ClusterDescriptor> cluster,
        IMinerEligibility eligibility, IAdmissionSink sink, TimeProvider time, ILogger<EnrolmentService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _coordinatorKey = coordinatorKey ?? throw new ArgumentNullException(nameof(coordinatorKey));
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        _eligibility = eligibility ?? throw new ArgumentNullException(nameof(eligibility));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        ChainId = chainId;
        StakingContract = stakingContract;
        SemanticVersion.TryParse(options.MinimumMinerVersion, out _minimumVersion);
        Challenges = new ChallengeStore(options, time);
    }

    public EnrolmentOptions Options => _options;

    public long ChainId { get; }

    public Address StakingContract { get; }

    public Address Coordinator => _coordinatorKey.Address;

    public ChallengeStore Challenges { get; }

    public EnrolmentChallenge IssueChallenge()
    {
        var (nonce, expiresAt) = Challenges.Issue();
        return new EnrolmentChallenge(nonce, ChainId, Coordinator, StakingContract, expiresAt);
    }

    /// <summary>Admits the miner (telling the <see cref="IAdmissionSink"/> first) or says why not.</summary>
    /// <exception cref="Exception">the eligibility check or the sink failed (the chain is unreachable, say): neither is a refusal.</exception>
    public async Task<EnrolmentOutcome> EnrolAsync(EnrolmentRequest request, CancellationToken cancellationToken)
    {
        if (EnrolmentRequestRules.Problem(request, _options) is { } problem)
        {
            return Refuse(request, RefusalReason.Malformed, problem);
        }
        if (request.ChainId is { } chainId && chainId != ChainId)
        {
            return Refuse(request, RefusalReason.WrongChain, $"This coordinator enrols on chain {ChainId}, not on chain {chainId}.");
        }
        var nonce = request.Nonce.ToLowerInvariant();
        switch (Challenges.Lookup(nonce, out var expiresAt))
        {
            case ChallengeStatus.Unknown:
                return Refuse(request, RefusalReason.UnknownChallenge, "The nonce was not issued by this coordinator, or was forgotten: request a new challenge.");
            case ChallengeStatus.Expired:
                return Refuse(request, RefusalReason.ExpiredChallenge, $"The challenge expired at {expiresAt:O}: request a new one.");
            case ChallengeStatus.Redeemed:
                return Refuse(request, RefusalReason.ReplayedChallenge, "The challenge was already answered: request a new one.");
        }
        var challenge = new EnrolmentChallenge(nonce, ChainId, Coordinator, StakingContract, expiresAt);
        var digest = EnrolmentTypedData.EnrolmentDigest(
            challenge, request.Miner, request.CertificateThumbprint, request.Models, request.Capacity, request.SoftwareVersion,
            request.NodeAddress, request.Provider);
        if (!EnrolmentTypedData.TryRecover(digest, request.Signature, out var signer) || signer != request.Miner)
        {
            return Refuse(request, RefusalReason.BadSignature, $"The signature is not {request.Miner}'s over this enrolment for this challenge, chain and contract.");
        }
        switch (Challenges.Redeem(nonce))
        {
            case ChallengeRedemption.Replayed:
                return Refuse(request, RefusalReason.ReplayedChallenge, "The challenge was already answered: request a new one.");
            case ChallengeRedemption.Expired:
                return Refuse(request, RefusalReason.ExpiredChallenge, $"The challenge expired at {expiresAt:O}: request a new one.");
            case ChallengeRedemption.Unknown:
                return Refuse(request, RefusalReason.UnknownChallenge, "The challenge was forgotten before it was answered: request a new one.");
        }
        if (!EnrolmentRequestRules.Compatible(request.SoftwareVersion, _minimumVersion))
        {
            return Refuse(
                request, RefusalReason.IncompatibleVersion,
                $"Miner version {request.SoftwareVersion} is not compatible: this coordinator needs {_minimumVersion.Major}.x, at least {_minimumVersion}.");
        }
        var standing = await _eligibility.CheckAsync(request.Miner, cancellationToken).ConfigureAwait(false);
        if (!standing.Eligible)
        {
            return Refuse(request, standing.Refusal ?? RefusalReason.Unregistered, standing.Detail);
        }
        var now = _time.GetUtcNow();
        var admission = new Admission(
            request.Miner, request.CertificateThumbprint, [.. request.Models], request.Capacity, request.SoftwareVersion,
            DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()))
        {
            NodeAddress = request.NodeAddress,
            Provider = request.Provider,
        };
        var cluster = _cluster();
        // Signed before the sink hears of it, so that a descriptor the coordinator cannot sign admits no one.
        var accepted = EnrolmentTypedData.SignAccepted(_coordinatorKey, ChainId, StakingContract, nonce, admission, cluster);
        await _sink.AdmitAsync(admission, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "Admitted miner {Miner} (certificate {Thumbprint}, {Models} models, capacity {Capacity}, version {Version}, self-stake {SelfStake} wei)",
            admission.Miner, admission.CertificateThumbprint, admission.Models.Count, admission.Capacity, admission.SoftwareVersion, standing.SelfStake);
        return accepted;
    }

    private EnrolmentRefused Refuse(EnrolmentRequest? request, RefusalReason reason, string detail)
    {
        _logger.LogDebug("Refused an enrolment of {Miner}: {Reason}: {Detail}", request?.Miner, reason, detail);
        return new EnrolmentRefused(reason, detail);
    }
}
