using System.Net;
using System.Text.Json.Nodes;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Staking.Tests;
using Xunit;

namespace Cuckoo.Cluster.Tests.Enrolment;

[Collection("hardhat")]
public sealed class EnrolmentAdmissionTests(HardhatFixture fixture) : EnrolmentTestBase(fixture)
{
    [Fact]
    public async Task Enrolment_admits_a_registered_staked_miner()
    {
        await RegisterMinerAsync();
        await StartAsync();

        var accepted = await EnrolAsync();

        var admission = Assert.Single(Sink.Admitted);
        // Records compare lists by reference: the client's copy came through JSON.
        Assert.Equal(accepted.Admission with { Models = admission.Models }, admission);
        Assert.Equal((MinerKey.Address, Thumbprint, 4, Version, Time.GetUtcNow()), (admission.Miner, admission.CertificateThumbprint, admission.Capacity, admission.SoftwareVersion, admission.AdmittedAt));
        Assert.Equal(Models, admission.Models);
        Assert.Equal(CoordinatorKey.Address, accepted.Coordinator);
        Assert.Equal(Cluster.SystemName, accepted.Cluster.SystemName);
        Assert.Equal(Cluster.SeedNodes, accepted.Cluster.SeedNodes);
        Assert.Equal(Cluster.CoordinatorThumbprints, accepted.Cluster.CoordinatorThumbprints);
        Assert.Equal(1, Eligibility.Calls);
    }

    [Fact]
    public async Task Enrolment_client_refuses_a_tampered_acceptance()
    {
        await RegisterMinerAsync();
        await StartAsync();
        var impostor = EthKey.Generate();
        var tampers = new Func<JsonNode, JsonNode>[]
        {
            json => { json["cluster"]!["seedNodes"]![0] = "akka.tcp://cuckoo@203.0.113.9:4053"; return json; },
            json => { json["cluster"]!["coordinatorThumbprints"]![0] = new string('e', 64); return json; },
            json => { json["admission"]!["capacity"] = 400; return json; },
            json => { json["admission"]!["admittedAt"] = "2026-01-01T12:00:00.5+00:00"; return json; },
            json => { json["signature"] = impostor.Sign(new byte[32]).ToHex(); return json; },
            json => { json["coordinator"] = impostor.Address.ToString(); return json; },
        };
        foreach (var tamper in tampers)
        {
            var handler = new InterceptingHandler(body => tamper(JsonNode.Parse(body)!).ToJsonString());
            await Assert.ThrowsAsync<EnrolmentVerificationException>(() => EnrolAsync(NewClient(handler)));
        }
        // The coordinator did admit each time: only the miner's view of the answer was forged.
        Assert.Equal(tampers.Length, Sink.Admitted.Count);
    }

    [Fact]
    public async Task Enrolment_client_refuses_an_acceptance_signed_by_another_coordinator_key()
    {
        await RegisterMinerAsync();
        await StartAsync();
        var handler = new InterceptingHandler(body =>
        {
            // A man in the middle re-signs a plausible acceptance with its own key.
            var json = JsonNode.Parse(body)!;
            var forged = System.Text.Json.JsonSerializer.Deserialize<EnrolmentAccepted>(body, EnrolmentProblems.Json)!;
            json["signature"] = EthKey.Generate().Sign(EnrolmentTypedData.AcceptedDigest(ChainId, Fixture.Staking, "0x" + new string('0', 64), forged.Admission, forged.Cluster, forged.Coordinator)).ToHex();
            return json.ToJsonString();
        });
        var ex = await Assert.ThrowsAsync<EnrolmentVerificationException>(() => EnrolAsync(NewClient(handler)));
        Assert.Contains(CoordinatorKey.Address.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrolment_client_refuses_a_challenge_from_another_coordinator()
    {
        await RegisterMinerAsync();
        await StartAsync();
        var client = NewClient();

        var ex = await Assert.ThrowsAsync<EnrolmentVerificationException>(() =>
            client.EnrolAsync(Host.Url, EthKey.Generate().Address, MinerKey, Thumbprint, Models, 4, Version, Node, Provider, CancellationToken.None));

        Assert.Contains("not answered", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Sink.Admitted);
        Assert.Equal(0, Eligibility.Calls);
    }

    [Fact]
    public async Task Enrolment_client_refuses_a_challenge_for_another_chain()
    {
        await RegisterMinerAsync();
        await StartAsync();

        var ex = await Assert.ThrowsAsync<EnrolmentRefusedException>(() => EnrolAsync(NewClient(expectedChainId: 1)));

        Assert.Equal(RefusalReason.WrongChain, ex.Reason);
        Assert.Empty(Sink.Admitted);
    }

    [Fact]
    public async Task Enrolment_client_finds_the_endpoints_under_the_coordinator_url()
    {
        await RegisterMinerAsync();
        await StartAsync();
        var client = NewClient();
        Assert.Equal(new Uri(Host.Url, "/v1/enrolment/"), client.Root(Host.Url));
        Assert.Equal(new Uri(Host.Url, "/v1/enrolment/"), client.Root(new Uri(Host.Url, "/")));
        Assert.Equal(new Uri(Host.Url, "/cuckoo/v1/enrolment/"), client.Root(new Uri(Host.Url, "/cuckoo/")));

        using var raw = Host.RawClient();
        using var wrongMethod = await raw.GetAsync("challenges");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }
}
