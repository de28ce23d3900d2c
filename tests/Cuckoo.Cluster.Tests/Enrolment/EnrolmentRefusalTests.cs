using System.Net;
using System.Text;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Staking;
using Cuckoo.Staking.Tests;
using Xunit;

namespace Cuckoo.Cluster.Tests.Enrolment;

[Collection("hardhat")]
public sealed class EnrolmentRefusalTests(HardhatFixture fixture) : EnrolmentTestBase(fixture)
{
    private static EnrolmentRequest Sign(EnrolmentChallenge challenge, EthKey? miner = null, string? thumbprint = null, string version = Version) =>
        EnrolmentTypedData.SignRequest(miner ?? MinerKey, challenge, thumbprint ?? Thumbprint, Models, 4, version, Node, Provider);

    [Fact]
    public async Task Enrolment_refuses_malformed_body()
    {
        await StartAsync();
        using var raw = Host.RawClient();
        var valid = Sign(await ChallengeAsync(raw));
        var tooMany = Enumerable.Range(0, 65).Select(i => $"model-{i}").ToList();
        string Json(EnrolmentRequest r) => System.Text.Json.JsonSerializer.Serialize(r, EnrolmentProblems.Json);
        var bodies = new[]
        {
            "",
            "not json",
            "null",
            "[]",
            "{}",
            Json(valid).Replace("\"capacity\":4,", "", StringComparison.Ordinal),
            Json(valid).Replace("\"capacity\":4", "\"capacity\":\"4\"", StringComparison.Ordinal),
            Json(valid).Replace("\"models\":[", "\"models\":[null,", StringComparison.Ordinal),
            Json(valid).Replace(valid.Miner.ToString(), "0x1234", StringComparison.Ordinal),
            Json(valid with { CertificateThumbprint = "zz" + Thumbprint[2..] }),
            Json(valid with { CertificateThumbprint = Thumbprint.ToUpperInvariant() }),
            Json(valid with { Nonce = valid.Nonce[..^2] }),
            Json(valid with { Signature = valid.Signature[..^2] }),
            Json(valid with { Signature = "0x" + new string('g', 130) }),
            Json(valid with { Models = tooMany }),
            Json(valid with { Models = [] }),
            Json(valid with { Models = ["sdxl-turbo", "sdxl-turbo"] }),
            Json(valid with { Models = [new string('m', 129)] }),
            Json(valid with { Capacity = 0 }),
            Json(valid with { Capacity = 1_025 }),
            Json(valid with { SoftwareVersion = "latest" }),
            Json(valid with { Miner = Address.Zero }),
            Json(valid with { NodeAddress = "" }),
            Json(valid with { NodeAddress = "127.0.0.1" }),
            Json(valid with { NodeAddress = "127.0.0.1:0" }),
            Json(valid with { NodeAddress = "bad host:4060" }),
            Json(valid with { Provider = "tpu" }),
        };
        foreach (var body in bodies)
        {
            using var response = await PostAsync(raw, body);
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed");
        }
        Assert.Equal(0, Eligibility.Calls);
        // Nothing was used up: the untouched answer still goes through to the chain check.
        using var after = await PostAsync(raw, valid);
        await AssertProblemAsync(after, HttpStatusCode.Forbidden, "unregistered");
    }

    [Fact]
    public async Task Enrolment_refuses_oversized_body()
    {
        await StartAsync();
        using var raw = Host.RawClient();
        var padded = Sign(await ChallengeAsync(raw)) with { SoftwareVersion = "0.4.2+" + new string('a', 17 * 1024) };

        using var response = await PostAsync(raw, padded);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed");
        Assert.Contains("16384 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Without a Content-Length (chunked), the limit holds while reading.
        var chunked = new StringContent(System.Text.Json.JsonSerializer.Serialize(padded, EnrolmentProblems.Json), Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StreamContent(await chunked.ReadAsStreamAsync()) };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await raw.SendAsync(request);
        await AssertProblemAsync(streamed, HttpStatusCode.BadRequest, "malformed");
    }

    [Fact]
    public async Task Enrolment_refuses_unknown_challenge()
    {
        await RegisterMinerAsync();
        await StartAsync();
        using var raw = Host.RawClient();
        var madeUp = new EnrolmentChallenge("0x" + new string('7', 64), ChainId, CoordinatorKey.Address, Fixture.Staking, Time.GetUtcNow().AddSeconds(30));

        using var response = await PostAsync(raw, Sign(madeUp));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unknown-challenge");
        Assert.Equal(0, Eligibility.Calls);
    }

    [Fact]
    public async Task Enrolment_refuses_expired_challenge()
    {
        await RegisterMinerAsync();
        await StartAsync();
        using var raw = Host.RawClient();
        var challenge = await ChallengeAsync(raw);
        Assert.Equal(Time.GetUtcNow().AddSeconds(30), challenge.ExpiresAt);

        Time.Advance(TimeSpan.FromSeconds(30));
        using var expired = await PostAsync(raw, Sign(challenge));
        await AssertProblemAsync(expired, HttpStatusCode.Unauthorized, "expired-challenge");

        // Past the retention it is forgotten, and still refused.
        Time.Advance(TimeSpan.FromSeconds(30));
        using var forgotten = await PostAsync(raw, Sign(challenge));
        await AssertProblemAsync(forgotten, HttpStatusCode.Unauthorized, "unknown-challenge");
        Assert.Equal(0, Eligibility.Calls);
        Assert.Empty(Sink.Admitted);
    }

    [Fact]
    public async Task Enrolment_refuses_replayed_challenge()
    {
        await RegisterMinerAsync();
        await StartAsync();
        var captured = new InterceptingHandler();
        await EnrolAsync(NewClient(captured));
        var enrolment = captured.RequestBodies.Single(b => b.Length > 0);

        using var raw = Host.RawClient();
        using var replayed = await PostAsync(raw, enrolment);

        await AssertProblemAsync(replayed, HttpStatusCode.Unauthorized, "replayed-challenge");
        Assert.Equal("CuckooEnrolment", replayed.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Single(Sink.Admitted);
        Assert.Equal(1, Eligibility.Calls);
    }

    [Fact]
    public async Task Enrolment_refuses_bad_signature()
    {
        await RegisterMinerAsync();
        await StartAsync();
        using var raw = Host.RawClient();
        var challenge = await ChallengeAsync(raw);

        var byAnotherKey = Sign(challenge, EthKey.Generate()) with { Miner = MinerKey.Address };
        using var other = await PostAsync(raw, byAnotherKey);
        await AssertProblemAsync(other, HttpStatusCode.Unauthorized, "bad-signature");

        var otherThumbprint = Sign(challenge, thumbprint: new string('a', 64)) with { CertificateThumbprint = Thumbprint };
        using var swapped = await PostAsync(raw, otherThumbprint);
        await AssertProblemAsync(swapped, HttpStatusCode.Unauthorized, "bad-signature");

        var forAnotherContract = EnrolmentTypedData.SignRequest(MinerKey, challenge with { StakingContract = Fixture.Token }, Thumbprint, Models, 4, Version, Node, Provider);
        using var contract = await PostAsync(raw, forAnotherContract);
        await AssertProblemAsync(contract, HttpStatusCode.Unauthorized, "bad-signature");

        // A bad signature costs no chain call and does not use the challenge up.
        Assert.Equal(0, Eligibility.Calls);
        using var good = await PostAsync(raw, Sign(challenge));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Single(Sink.Admitted);
    }

    [Fact]
    public async Task Enrolment_refuses_wrong_chain()
    {
        await RegisterMinerAsync();
        await StartAsync();
        using var raw = Host.RawClient();
        var challenge = await ChallengeAsync(raw);

        using var response = await PostAsync(raw, EnrolmentTypedData.SignRequest(MinerKey, challenge with { ChainId = 1 }, Thumbprint, Models, 4, Version, Node, Provider));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "wrong-chain");
        Assert.Contains("31337", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Eligibility.Calls);
    }

    [Fact]
    public async Task Enrolment_refuses_unregistered_address()
    {
        await StartAsync();
        var stranger = await Assert.ThrowsAsync<EnrolmentRefusedException>(() => EnrolAsync(miner: EthKey.Generate()));
        Assert.Equal(RefusalReason.Unregistered, stranger.Reason);

        // The coordinator's own address is registered, but not as a miner.
        await RegisterCoordinatorAsync();
        var coordinator = await Assert.ThrowsAsync<EnrolmentRefusedException>(() => EnrolAsync(miner: CoordinatorKey));
        Assert.Equal(RefusalReason.Unregistered, coordinator.Reason);
        Assert.Contains("coordinator", coordinator.Detail, StringComparison.Ordinal);

        using var raw = Host.RawClient();
        using var response = await PostAsync(raw, Sign(await ChallengeAsync(raw), EthKey.Generate()));
        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "unregistered");
        Assert.Empty(Sink.Admitted);
    }

    [Fact]
    public async Task Enrolment_refuses_deregistered_miner()
    {
        await RegisterMinerAsync();
        await Staking.DeregisterAsync(Sender("miner-1-staker"));
        await StartAsync();

        var ex = await Assert.ThrowsAsync<EnrolmentRefusedException>(() => EnrolAsync());
        Assert.Equal(RefusalReason.Deregistered, ex.Reason);

        using var raw = Host.RawClient();
        using var response = await PostAsync(raw, Sign(await ChallengeAsync(raw)));
        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "deregistered");
        Assert.Empty(Sink.Admitted);
    }

    [Fact]
    public async Task Enrolment_refuses_under_staked_miner()
    {
        // The contract lets a registered staker unstake below the minimum; the registration stays and goes inactive.
        await RegisterMinerAsync(selfStake: 30_000);
        await Staking.RequestUnstakeAsync(Sender("miner-1-staker"), Cai.Tokens(10_000));
        var info = await Staking.CandidateOfAsync(MinerKey.Address);
        Assert.True(info is { Registered: true, Active: false });
        Assert.Equal(Cai.Tokens(20_000), info.SelfStake);
        await StartAsync();

        var ex = await Assert.ThrowsAsync<EnrolmentRefusedException>(() => EnrolAsync());
        Assert.Equal(RefusalReason.UnderStaked, ex.Reason);
        Assert.Contains("more than 20000 CAI", ex.Detail, StringComparison.Ordinal);

        var standing = await new ChainMinerEligibility(Staking, Jail).CheckAsync(MinerKey.Address, CancellationToken.None);
        Assert.Equal(new MinerStanding(MinerKey.Address, false, RefusalReason.UnderStaked, ex.Detail, Cai.Tokens(20_000), Cai.Tokens(20_000)), standing);

        using var raw = Host.RawClient();
        using var response = await PostAsync(raw, Sign(await ChallengeAsync(raw)));
        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "under-staked");

        // Topping up by one wei above the minimum makes it active again.
        await Staking.StakeAsync(Sender("miner-1-staker"), 1);
        await EnrolAsync();
        Assert.Single(Sink.Admitted);
    }

    [Fact]
    public async Task Enrolment_refuses_jailed_miner()
    {
        await RegisterMinerAsync();
        await StartAsync();
        Jail.Jail(MinerKey.Address, "wrong results on three tasks");

        var ex = await Assert.ThrowsAsync<EnrolmentRefusedException>(() => EnrolAsync());
        Assert.Equal(RefusalReason.Jailed, ex.Reason);
        Assert.Contains("wrong results on three tasks", ex.Detail, StringComparison.Ordinal);

        using var raw = Host.RawClient();
        using var response = await PostAsync(raw, Sign(await ChallengeAsync(raw)));
        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "jailed");
        Assert.Empty(Sink.Admitted);

        Assert.True(Jail.Release(MinerKey.Address));
        Assert.False(Jail.Release(MinerKey.Address));
        await EnrolAsync();
        Assert.Single(Sink.Admitted);
    }

    [Fact]
    public async Task Enrolment_refuses_incompatible_version()
    {
        await RegisterMinerAsync();
        await StartAsync(new EnrolmentOptions { MinimumMinerVersion = "1.2.0" });
        using var raw = Host.RawClient();

        foreach (var version in new[] { "1.1.9", "1.2.0-rc.1", "2.0.0", "0.9.0" })
        {
            using var response = await PostAsync(raw, Sign(await ChallengeAsync(raw), version: version));
            var problem = await AssertProblemAsync(response, HttpStatusCode.UpgradeRequired, "incompatible-version");
            Assert.Contains("1.2.0", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        var ex = await Assert.ThrowsAsync<EnrolmentRefusedException>(() => EnrolAsync(version: "1.0.0"));
        Assert.Equal(RefusalReason.IncompatibleVersion, ex.Reason);
        Assert.Equal(0, Eligibility.Calls);

        await EnrolAsync(version: "1.3.0+build.7");
        Assert.Single(Sink.Admitted);
    }

    private async Task RegisterCoordinatorAsync()
    {
        var staker = Sender("coordinator-staker");
        await new CaiTokenClient(Client, Fixture.Token).ApproveAsync(staker, Fixture.Staking, Cai.Tokens(2_100_000));
        await Staking.StakeAsync(staker, Cai.Tokens(2_100_000));
        var typed = new StakingTypedData(ChainId, Fixture.Staking);
        var consent = typed.SignRegistration(CoordinatorKey, staker.Address, CandidateKind.Coordinator, "c", await Staking.ConsentNonceOfAsync(CoordinatorKey.Address));
        await Staking.RegisterCoordinatorAsync(staker, CoordinatorKey.Address, "c", Host.Url.ToString(), consent);
    }
}
