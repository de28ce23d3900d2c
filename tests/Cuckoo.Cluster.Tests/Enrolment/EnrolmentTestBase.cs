using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Cuckoo.Staking.Tests;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Cuckoo.Cluster.Tests.Enrolment;

/// <summary>
/// Each test runs on a Hardhat snapshot reverted afterwards, with the enrolment service of the devnet coordinator behind a
/// real Kestrel server, eligibility read from the chain and time on a <see cref="FakeTimeProvider"/>.
/// </summary>
public abstract class EnrolmentTestBase(HardhatFixture fixture) : IAsyncLifetime
{
    private string _snapshot = "";
    private EnrolmentHost? _host;

    protected const long ChainId = DevAccounts.HardhatChainId;
    protected const string Version = "0.4.2";
    protected const string Node = "127.0.0.1:4060";
    protected const string Provider = "cpu";

    protected static readonly IReadOnlyList<string> Models = ["llama-3.1-8b-instruct", "sdxl-turbo"];

    protected static readonly ClusterDescriptor Cluster = new(
        "cuckoo", ["akka.tcp://cuckoo@127.0.0.1:4053"], [Convert.ToHexStringLower(SHA256.HashData("coordinator node certificate"u8))]);

    protected HardhatFixture Fixture { get; } = fixture;

    protected ChainClient Client { get; } = new(fixture.Node.RpcUrl);

    protected CuckooStakingClient Staking => new(Client, Fixture.Staking, token: Fixture.Token);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    protected JailBook Jail { get; } = new();

    protected RecordingSink Sink { get; } = new();

    protected CountingEligibility Eligibility { get; private set; } = null!;

    protected static EthKey CoordinatorKey => DevAccounts.ByRole("coordinator").Key;

    protected static EthKey MinerKey => DevAccounts.ByRole("miner-1").Key;

    /// <summary>The thumbprint of the miner node's TLS certificate (any 32 bytes stand in for it here).</summary>
    protected static string Thumbprint { get; } = Convert.ToHexStringLower(SHA256.HashData("miner-1 node certificate"u8));

    protected EnrolmentHost Host => _host ?? throw new InvalidOperationException("Call StartAsync first.");

    public async Task InitializeAsync() => _snapshot = await Client.CallAsync<string>("evm_snapshot");

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        await Client.CallAsync<bool>("evm_revert", _snapshot);
        Client.Dispose();
    }

    /// <param name="eligibility">Instead of the chain's (a measurement's baseline).</param>
    protected async Task<EnrolmentHost> StartAsync(EnrolmentOptions? options = null, IMinerEligibility? eligibility = null)
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        Eligibility = new CountingEligibility(eligibility ?? new ChainMinerEligibility(Staking, Jail));
        var service = new EnrolmentService(options ?? new EnrolmentOptions(), CoordinatorKey, ChainId, Fixture.Staking, () => Cluster, Eligibility, Sink, Time);
        _host = await EnrolmentHost.StartAsync(service);
        return _host;
    }

    protected EnrolmentClient NewClient(HttpMessageHandler? handler = null, long? expectedChainId = ChainId) =>
        new(new HttpClient(handler ?? EnrolmentTypedData.Handler()), expectedChainId, Fixture.Staking);

    protected Task<EnrolmentAccepted> EnrolAsync(EnrolmentClient? client = null, EthKey? miner = null, string version = Version) =>
        (client ?? NewClient()).EnrolAsync(Host.Url, CoordinatorKey.Address, miner ?? MinerKey, Thumbprint, Models, 4, version, Node, Provider, CancellationToken.None);

    /// <summary>Stakes <paramref name="selfStake"/> CAI from the staker and registers the miner with its key's consent.</summary>
    protected async Task RegisterMinerAsync(long selfStake = 30_000, string stakerRole = "miner-1-staker", string minerRole = "miner-1")
    {
        var staker = Sender(stakerRole);
        await new CaiTokenClient(Client, Fixture.Token).ApproveAsync(staker, Fixture.Staking, BigInteger.Pow(2, 256) - 1);
        await Staking.StakeAsync(staker, Cai.Tokens(selfStake));
        var candidate = DevAccounts.ByRole(minerRole).Key;
        var typed = new StakingTypedData(ChainId, Fixture.Staking);
        var consent = typed.SignRegistration(candidate, staker.Address, CandidateKind.Miner, "gpu box", await Staking.ConsentNonceOfAsync(candidate.Address));
        await Staking.RegisterMinerAsync(staker, candidate.Address, "gpu box", consent);
    }

    protected TransactionSender Sender(string role) => new(Client, DevAccounts.ByRole(role).Key);

    protected async Task<EnrolmentChallenge> ChallengeAsync(HttpClient raw)
    {
        using var response = await raw.PostAsync("challenges", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<EnrolmentChallenge>(await response.Content.ReadAsStringAsync(), EnrolmentProblems.Json)!;
    }

    protected static Task<HttpResponseMessage> PostAsync(HttpClient raw, EnrolmentRequest request) =>
        PostAsync(raw, JsonSerializer.Serialize(request, EnrolmentProblems.Json));

    protected static Task<HttpResponseMessage> PostAsync(HttpClient raw, string body) =>
        raw.PostAsync("", new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>The RFC 9457 shape of a refusal: content type, status in the body, kebab-case reason, one-sentence detail, no internals.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.DoesNotContain('\n', detail);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cuckoo.", text, StringComparison.Ordinal);
        return problem;
    }
}
