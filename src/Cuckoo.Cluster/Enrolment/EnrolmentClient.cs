using System.Net.Http.Json;
using System.Text.Json;
using Cuckoo.Chain;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>
/// The miner's side of enrolment. Trusts nothing the coordinator's HTTPS endpoint says until it is signed by
/// <c>expectedCoordinator</c> (the address registered on chain with that URL); see <see cref="EnrolmentTypedData.Handler"/>.
/// </summary>
/// <param name="expectedChainId">When set, a challenge for another chain is refused before anything is signed.</param>
/// <param name="expectedStakingContract">When set, a challenge naming another staking contract is not answered.</param>
/// <param name="prefix">Where the coordinator mapped the endpoints, under the URL's path.</param>
public sealed class EnrolmentClient(
    HttpClient http, long? expectedChainId = null, Address? expectedStakingContract = null, string prefix = EnrolmentEndpoints.DefaultPrefix)
{
    private readonly HttpClient _http = http ?? throw new ArgumentNullException(nameof(http));

    /// <summary>Gets a challenge, answers it with <paramref name="minerKey"/> and checks the coordinator's signed acceptance.</summary>
    /// <param name="coordinatorUrl">The coordinator's enrolment URL as registered on chain (the endpoints are under it, at the prefix).</param>
    /// <exception cref="EnrolmentRefusedException">the coordinator refused (or the challenge is for another chain).</exception>
    /// <exception cref="EnrolmentVerificationException">the challenge or the acceptance is not what this coordinator would sign.</exception>
    /// <exception cref="HttpRequestException">the coordinator is unreachable or failed without a refusal.</exception>
    public async Task<EnrolmentAccepted> EnrolAsync(
        Uri coordinatorUrl, Address expectedCoordinator, EthKey minerKey, string certificateThumbprint, IReadOnlyList<string> models, int capacity,
        string softwareVersion, string nodeAddress, string provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinatorUrl);
        ArgumentNullException.ThrowIfNull(minerKey);
        ArgumentNullException.ThrowIfNull(models);
        var root = Root(coordinatorUrl);
        var challenge = await GetChallengeAsync(root, expectedCoordinator, cancellationToken).ConfigureAwait(false);
        var request = EnrolmentTypedData.SignRequest(minerKey, challenge, certificateThumbprint, models, capacity, softwareVersion, nodeAddress, provider);
        var accepted = await PostAsync(root, request, cancellationToken).ConfigureAwait(false);
        Verify(accepted, challenge, request, expectedCoordinator);
        return accepted;
    }

    /// <summary>Gets a challenge and checks that it names the expected coordinator (and chain and contract, when set).</summary>
    public async Task<EnrolmentChallenge> GetChallengeAsync(Uri root, Address expectedCoordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        using var response = await _http.PostAsync(new Uri(root, "challenges"), null, cancellationToken).ConfigureAwait(false);
        await ThrowIfRefusedAsync(response, cancellationToken).ConfigureAwait(false);
        var challenge = await ReadAsync<EnrolmentChallenge>(response, "challenge", cancellationToken).ConfigureAwait(false);
        if (challenge.Coordinator != expectedCoordinator)
        {
            throw new EnrolmentVerificationException($"The challenge names coordinator {challenge.Coordinator}, not {expectedCoordinator}: it was not answered.");
        }
        if (expectedChainId is { } chainId && challenge.ChainId != chainId)
        {
            throw new EnrolmentRefusedException(RefusalReason.WrongChain, $"The coordinator enrols on chain {challenge.ChainId}; this miner is on chain {chainId}.");
        }
        if (expectedStakingContract is { } contract && challenge.StakingContract != contract)
        {
            throw new EnrolmentVerificationException($"The challenge names staking contract {challenge.StakingContract}, not {contract}: it was not answered.");
        }
        return challenge;
    }

    /// <summary>Posts a signed request as it is (no checks of the answer: <see cref="EnrolAsync"/> does those).</summary>
    public async Task<EnrolmentAccepted> PostAsync(Uri root, EnrolmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        using var response = await _http.PostAsJsonAsync(new Uri(root.ToString().TrimEnd('/')), request, EnrolmentProblems.Json, cancellationToken).ConfigureAwait(false);
        await ThrowIfRefusedAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<EnrolmentAccepted>(response, "acceptance", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The endpoints' root, with a trailing slash: the URL's path, then the prefix.</summary>
    public Uri Root(Uri coordinatorUrl)
    {
        ArgumentNullException.ThrowIfNull(coordinatorUrl);
        var builder = new UriBuilder(coordinatorUrl) { Query = "", Fragment = "" };
        builder.Path = builder.Path.TrimEnd('/') + "/" + prefix.Trim('/') + "/";
        return builder.Uri;
    }

    /// <summary>The checks of an acceptance against the request it answers: signed by the coordinator, over what was asked.</summary>
    /// <exception cref="EnrolmentVerificationException">any mismatch.</exception>
    public static void Verify(EnrolmentAccepted accepted, EnrolmentChallenge challenge, EnrolmentRequest request, Address expectedCoordinator)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(request);
        if (!EnrolmentTypedData.VerifyAccepted(accepted, challenge.ChainId, challenge.StakingContract, challenge.Nonce, expectedCoordinator))
        {
            throw new EnrolmentVerificationException($"The acceptance is not signed by coordinator {expectedCoordinator} for this challenge: it is not trusted.");
        }
        var a = accepted.Admission;
        if (a.Miner != request.Miner || a.CertificateThumbprint != request.CertificateThumbprint || !a.Models.SequenceEqual(request.Models)
            || a.Capacity != request.Capacity || a.SoftwareVersion != request.SoftwareVersion
            || a.NodeAddress != request.NodeAddress || a.Provider != request.Provider)
        {
            throw new EnrolmentVerificationException("The coordinator signed an admission that differs from the request: it is not used.");
        }
        if (accepted.Cluster.SeedNodes.Count == 0 || accepted.Cluster.CoordinatorThumbprints.Count == 0)
        {
            throw new EnrolmentVerificationException("The acceptance names no seed node or no coordinator certificate to pin: there is nothing to join.");
        }
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        string? reasonName = null;
        string? detail = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            try
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                reasonName = problem.RootElement.TryGetProperty(EnrolmentProblems.ReasonExtension, out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                detail = problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            }
            catch (JsonException)
            {
                // Not a readable problem: reported below by status code.
            }
        }
        if (EnrolmentProblems.TryParse(reasonName, out var reason))
        {
            throw new EnrolmentRefusedException(reason, detail ?? reasonName!);
        }
        throw new HttpRequestException(
            $"The coordinator answered {(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? "" : ": " + detail)}", null, response.StatusCode);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(EnrolmentProblems.Json, cancellationToken).ConfigureAwait(false)
                   ?? throw new EnrolmentVerificationException($"The coordinator sent an empty {what}.");
        }
        catch (JsonException ex)
        {
            throw new EnrolmentVerificationException($"The coordinator sent an unreadable {what}: {ex.Message}");
        }
    }
}
