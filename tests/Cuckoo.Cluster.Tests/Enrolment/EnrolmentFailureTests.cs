using System.Net;
using System.Text.Json;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Staking.Tests;
using Xunit;

namespace Cuckoo.Cluster.Tests.Enrolment;

/// <summary>Races on one answer, and failures that are not refusals.</summary>
[Collection("hardhat")]
public sealed class EnrolmentFailureTests(HardhatFixture fixture) : EnrolmentTestBase(fixture)
{
    [Fact]
    public async Task Enrolment_admits_one_of_concurrent_copies_of_an_answer()
    {
        await RegisterMinerAsync();
        await StartAsync();
        using var raw = Host.RawClient();
        var answer = EnrolmentTypedData.SignRequest(MinerKey, await ChallengeAsync(raw), Thumbprint, Models, 4, Version, Node, Provider);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(raw, answer)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "replayed-challenge");
        }
        Assert.Single(Sink.Admitted);
        Assert.Equal(1, Eligibility.Calls);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Enrolment_reports_an_unreachable_chain_as_unavailable_without_internals()
    {
        // A staking client on a port nothing listens on, failing fast.
        using var dead = new ChainClient(new Uri("http://127.0.0.1:9"), new ChainClientOptions { MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(2) });
        await StartAsync(eligibility: new ChainMinerEligibility(new Cuckoo.Staking.CuckooStakingClient(dead, Fixture.Staking), Jail));
        using var raw = Host.RawClient();
        var challenge = await ChallengeAsync(raw);

        using var response = await PostAsync(raw, EnrolmentTypedData.SignRequest(MinerKey, challenge, Thumbprint, Models, 4, Version, Node, Provider));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:9", text, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(text).RootElement.TryGetProperty("reason", out _));
        Assert.Empty(Sink.Admitted);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => EnrolAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains("try again later", ex.Message, StringComparison.Ordinal);
    }
}
