using System.Diagnostics;
using System.Net;
using System.Numerics;
using System.Text.Json;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>
/// A miner that fakes its results, among honest ones, on a real coordinator, real miners and the devnet: outvoted on a
/// verified task, it is jailed at once, then slashed through the contract's own evidence check, while the honest miners
/// keep their whole stake and are paid for their work.
/// </summary>
[Collection("cluster")]
public sealed class TrustTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_miner_faking_results_is_jailed_and_slashed_on_chain_while_honest_miners_keep_their_stake_and_are_paid()
    {
        var clock = Stopwatch.StartNew();
        var honest = new[] { DevAccounts.ByRole("miner-1"), DevAccounts.ByRole("miner-2") };
        var honestStakers = new[] { DevAccounts.ByRole("miner-1-staker").Address, DevAccounts.ByRole("miner-2-staker").Address };
        // A liar of its own, staked and registered here: its jail and slash stay on this deployment's journal and chain,
        // so the fixture's miners, which the other tests use, must not be the one jailed.
        var liarKey = EthKey.Generate();
        var liarStakerKey = EthKey.Generate();
        await DevnetFaucet.FundAsync(fixture.Token, liarStakerKey);
        await DevnetFaucet.FundAsync(fixture.Token, liarKey);
        await DevnetDeployer.RegisterCandidateAsync(
            fixture.Chain, fixture.Token, fixture.Staking, new StakingTypedData(fixture.Deployment.ChainId, fixture.Staking.Address),
            liarStakerKey, liarKey, "e2e liar", null, Cai.Tokens(25_000), default);
        var liar = liarKey.Address;
        var liarStaker = liarStakerKey.Address;
        var stakesBefore = await Task.WhenAll(honestStakers.Append(liarStaker).Select(fixture.Staking.StakeOfAsync));
        var rewardsBefore = await Task.WhenAll(honestStakers.Append(liarStaker).Select(fixture.Staking.RewardsOfAsync));
        var fromBlock = await fixture.Chain.GetBlockNumberAsync();

        await using var nodes = new Nodes(fixture);
        // No random audits (the test asks for verification itself), and a reward period short enough to watch.
        var coordinator = nodes.StartCoordinator(environment: new Dictionary<string, string>
        {
            ["CUCKOO_HOCON"] = "cuckoo.scheduler.audit-rate = 0\ncuckoo.trust.reward-period = 5s",
        });
        await coordinator.UpAsync();
        using var app = coordinator.Client();
        // One at a time: miners joining at the same moment can refuse each other's TLS and enrol again (docs/security.md),
        // and a verify: 3 task on three miners has no fourth to take a run lost that way.
        nodes.StartMiner("miner-1", "miner-1");
        await app.WaitForMinersAsync(1, Nodes.StartTimeout, among: [honest[0].Address]);
        nodes.StartMiner("miner-2", "miner-2");
        await app.WaitForMinersAsync(2, Nodes.StartTimeout, among: [honest[0].Address, honest[1].Address]);
        nodes.StartMiner("liar", liarKey, extraArgs: ["--corrupt-outputs"]);
        await app.WaitForMinersAsync(3, Nodes.StartTimeout, among: [honest[0].Address, honest[1].Address, liar]);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: three miners eligible, {liar} corrupting its outputs");

        // Verified by all three: two honest results agree, the corrupted one stands alone.
        var (status, body, _) = await app.SubmitAsync("verified-1", "a cuckoo in a clock", extra: ", \"verify\": 3");
        Assert.True(status == HttpStatusCode.Accepted, body.ToString());
        var final = await app.WaitFinalAsync("verified-1", Timeout);
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.NotEqual(liar.ToString(), final.GetProperty("miner").GetString(), StringComparer.OrdinalIgnoreCase);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: the verified task completed on {final.GetProperty("miner").GetString()}");

        // Jailed at once: no longer eligible, and the registry says why.
        var jailed = await UntilValueAsync(async () =>
        {
            var miner = await MinerAsync(app, liar);
            return miner is { } m && m.GetProperty("jailed").GetBoolean() ? m : (JsonElement?)null;
        }, "the liar jailed in /v1/miners");
        Assert.False(jailed.GetProperty("eligible").GetBoolean());
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {liar} jailed");

        // Slashed on chain: the contract verified the coordinator's assignment, the liar's and two witnesses' signatures.
        var slashed = await UntilAsync(async () =>
        {
            var events = await fixture.Staking.GetEventsAsync(fromBlock, await fixture.Chain.GetBlockNumberAsync());
            return events.OfType<Slashed>().FirstOrDefault(s => s.Candidate == liar);
        }, "a Slashed event for the liar");
        Assert.Equal(DevAccounts.ByRole("coordinator").Address, slashed.Reporter);
        Assert.True(slashed.FromStake > 0);
        Assert.Equal(stakesBefore[2] - slashed.FromStake, await fixture.Staking.StakeOfAsync(liarStaker));
        Assert.True(await fixture.Staking.EvidenceUsedAsync(Convert.FromHexString(slashed.EvidenceId[2..])));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: slashed {Cai.Format(slashed.Total)} CAI, evidence {slashed.EvidenceId}");

        // The evidence is served by its id: the task, the input digest, every output digest and signature.
        using (var response = await app.SendAsync(HttpMethod.Get, $"/v1/evidence/{slashed.EvidenceId}"))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            using var evidence = JsonDocument.Parse(text);
            var e = evidence.RootElement.GetProperty("evidence");
            Assert.Equal(liar, Address.Parse(e.GetProperty("accused").GetString()!));
            Assert.Equal(honest.Select(h => h.Address).Order(), e.GetProperty("witnesses").EnumerateArray().Select(w => Address.Parse(w.GetString()!)).Order());
            Assert.NotEqual(e.GetProperty("accused_output").GetString(), e.GetProperty("witness_output").GetString());
        }
        using (var response = await app.SendAsync(HttpMethod.Get, "/v1/evidence/0x" + new string('0', 64)))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // A plain task never goes to the jailed miner.
        (status, body, _) = await app.SubmitAsync("plain-1", "a second cuckoo");
        Assert.True(status == HttpStatusCode.Accepted, body.ToString());
        final = await app.WaitFinalAsync("plain-1", Timeout);
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.NotEqual(liar.ToString(), final.GetProperty("miner").GetString(), StringComparer.OrdinalIgnoreCase);

        // Rewards for verified work: deposited for the honest miners (to their stakers, who have no voters), none for the liar.
        await UntilAsync(async () =>
        {
            var rewards = await Task.WhenAll(honestStakers.Select(fixture.Staking.RewardsOfAsync));
            return rewards.Zip(rewardsBefore).All(r => r.Item1 > r.Item2) ? rewards : null;
        }, "rewards deposited for both honest miners");
        Assert.Equal(rewardsBefore[2], await fixture.Staking.RewardsOfAsync(liarStaker));
        for (var i = 0; i < honestStakers.Length; i++)
        {
            Assert.Equal(stakesBefore[i], await fixture.Staking.StakeOfAsync(honestStakers[i]));
        }
        using (var response = await app.SendAsync(HttpMethod.Get, "/v1/rewards"))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            output.WriteLine($"/v1/rewards: {text}");
        }
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: honest miners paid, stakes whole; the liar paid nothing");
    }

    private static async Task<JsonElement?> MinerAsync(GatewayClient app, Address miner)
    {
        using var response = await app.SendAsync(HttpMethod.Get, "/v1/miners");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var m in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            if (Address.Parse(m.GetProperty("address").GetString()!) == miner)
            {
                return m.Clone();
            }
        }
        return null;
    }

    /// <summary>Asks <paramref name="probe"/> until it gives a value, up to the deadline.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
        throw new Xunit.Sdk.XunitException($"not within {Timeout}: {what}");
    }

    private static async Task<T> UntilValueAsync<T>(Func<Task<T?>> probe, string what) where T : struct
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
        throw new Xunit.Sdk.XunitException($"not within {Timeout}: {what}");
    }
}
