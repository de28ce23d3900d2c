using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using Cuckoo.Chain;
using Cuckoo.Miner;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>
/// Two coordinators of two operators, each its own cluster, on one chain: the miners find both there and divide their
/// capacity between them by weight; an operator may restrict a miner to one, and one that falls below its minimum gets nothing.
/// </summary>
[Collection("cluster")]
public sealed class TwoCoordinatorsTests(ClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>Tasks each miner runs at once: with weights 1:3 it gives 1 and 3.</summary>
    private const int Capacity = 4;

    private const string Model = "cuckoo-cppn";

    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);

    /// <summary>A graceful leave and a restart: the miner enrols again within a few seconds of starting.</summary>
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(60);

    private static Address First => DevAccounts.ByRole("coordinator").Address;

    [Fact]
    public async Task Two_coordinators_of_different_stake_share_three_miners_in_proportion_to_weight()
    {
        var clock = Stopwatch.StartNew();
        var minimum = (await fixture.Staking.GetParametersAsync()).MinCoordinatorStake;
        var firstWeight = await fixture.Staking.WeightOfAsync(First);
        var second = EthKey.Generate();
        var secondStaker = EthKey.Generate();
        var secondEnrolment = ClusterFixture.FreePort();
        try
        {
            // A second operator, staked three times the demo coordinator's weight, its enrolment URL on chain.
            var stake = 3 * firstWeight;
            await FundAsync(secondStaker, stake);
            await DevnetFaucet.FundAsync(fixture.Token, second);
            await DevnetDeployer.RegisterCandidateAsync(
                fixture.Chain, fixture.Token, fixture.Staking, new StakingTypedData(fixture.Deployment.ChainId, fixture.Staking.Address), secondStaker, second,
                "e2e coordinator-2", new Uri($"https://127.0.0.1:{secondEnrolment}"), stake, default);
            Assert.True(await fixture.Staking.IsActiveCoordinatorAsync(second.Address));
            BigInteger[] weights = [await fixture.Staking.WeightOfAsync(First), await fixture.Staking.WeightOfAsync(second.Address)];
            var split = CapacitySplit.Split(Capacity, weights);
            output.WriteLine($"weights on chain: {First} {Cai.Format(weights[0])} CAI, {second.Address} {Cai.Format(weights[1])} CAI; split of {Capacity}: {split[0]} and {split[1]}");
            Assert.Equal(Capacity, split.Sum());
            Assert.True(split[0] != split[1], $"the weights should make the split visible, not {split[0]} and {split[1]}");

            await using var nodes = new Nodes(fixture);
            var a = nodes.StartCoordinator();
            var b = nodes.StartCoordinator(second, "coordinator-2", secondEnrolment);
            await Task.WhenAll(a.UpAsync(), b.UpAsync());
            using var appA = a.Client();
            using var appB = b.Client();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: both coordinators up");

            // Three miners, none told which coordinators to serve: each finds both on chain, one membership each (port, port + 1).
            var miner1 = DevAccounts.ByRole("miner-1").Address;
            var miner2 = DevAccounts.ByRole("miner-2").Address;
            var miner3 = fixture.Miner3.Address;
            var ports = new Dictionary<Address, int> { [miner1] = FreePortPair(), [miner2] = FreePortPair(), [miner3] = FreePortPair() };
            string[] capacity = ["--capacity", Capacity.ToString()];
            nodes.StartMiner("miner-1", "miner-1", ports[miner1], capacity);
            var m2 = nodes.StartMiner("miner-2", "miner-2", ports[miner2], capacity);
            var m3 = nodes.StartMiner("miner-3", fixture.Miner3, ports[miner3], capacity);
            Address[] all = [miner1, miner2, miner3];
            await Task.WhenAll(
                WaitForCreditsAsync(appA, all.ToDictionary(m => m, _ => (int?)split[0]), Nodes.StartTimeout, "coordinator 1"),
                WaitForCreditsAsync(appB, all.ToDictionary(m => m, _ => (int?)split[1]), Nodes.StartTimeout, "coordinator 2"));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: each miner admitted at both, free credits {split[0]} at coordinator 1 and {split[1]} at coordinator 2");

            // Both coordinators get work done by the miners they share.
            Assert.Equal(HttpStatusCode.Accepted, (await appA.SubmitAsync("two-a", "a cuckoo served by the first coordinator")).Status);
            Assert.Equal(HttpStatusCode.Accepted, (await appB.SubmitAsync("two-b", "a cuckoo served by the second coordinator")).Status);
            foreach (var (app, id) in new[] { (appA, "two-a"), (appB, "two-b") })
            {
                var done = await app.WaitFinalAsync(id, TaskTimeout);
                Assert.True(done.GetProperty("status").GetString() == "completed", $"{id}: {done}");
                Assert.Contains(Address.Parse(done.GetProperty("result").GetProperty("miner").GetString()!), all);
            }
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: a task completed through each gateway");

            // The operator restricts miner-2 to the first coordinator: it serves that one alone, with all its capacity.
            // Its exit code is not this test's concern (a SIGTERM while it re-enrols can end it as 143); that it is gone is.
            m2.Terminate();
            await m2.WaitForExitAsync(TimeSpan.FromSeconds(90));
            nodes.StartMiner("miner-2", "miner-2", ports[miner2], [.. capacity, "--coordinator", First.ToString()]);
            await Task.WhenAll(
                WaitForCreditsAsync(appA, new() { [miner2] = Capacity }, RestartTimeout, "coordinator 1 after restricting miner-2"),
                WaitForCreditsAsync(appB, new() { [miner2] = null }, RestartTimeout, "coordinator 2 after restricting miner-2"));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: miner-2 restricted to coordinator 1: {Capacity} credits there, not admitted at coordinator 2");

            // The second coordinator's staker takes it down to exactly the minimum (thresholds are strict): it is no longer active.
            var left = await fixture.Staking.StakeOfAsync(secondStaker.Address);
            await fixture.Staking.RequestUnstakeAsync(new TransactionSender(fixture.Chain, secondStaker), left - minimum);
            Assert.False(await fixture.Staking.IsActiveCoordinatorAsync(second.Address));
            // miner-3, told to serve both, still enrols at the second but gives it nothing: the first gets the whole capacity.
            m3.Terminate();
            await m3.WaitForExitAsync(TimeSpan.FromSeconds(90));
            var restarted = nodes.StartMiner("miner-3", fixture.Miner3, ports[miner3], [.. capacity, "--coordinator", First.ToString(), "--coordinator", second.Address.ToString()]);
            await Task.WhenAll(
                WaitForCreditsAsync(appA, new() { [miner3] = Capacity }, RestartTimeout, "coordinator 1 after coordinator 2 fell below its minimum"),
                WaitForCreditsAsync(appB, new() { [miner3] = 0 }, RestartTimeout, "coordinator 2 after it fell below its minimum"));
            var line = await restarted.WaitForLineAsync($"credits for coordinator {First}: {Capacity} of {Capacity}", TimeSpan.FromSeconds(10));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: coordinator 2 below its minimum: miner-3 gives it 0 and coordinator 1 {Capacity} ({line.Trim()})");
        }
        finally
        {
            // Leave the chain as the other tests expect it: one active coordinator, which their miners find alone.
            try
            {
                await fixture.Staking.DeregisterAsync(new TransactionSender(fixture.Chain, secondStaker));
            }
            catch (Exception e) when (e is StakingRevertException)
            {
                output.WriteLine($"deregistering coordinator 2: {e.Message}");
            }
            Assert.False(await fixture.Staking.IsActiveCoordinatorAsync(second.Address));
        }
    }

    /// <summary>ETH for gas and <paramref name="amount"/> CAI: the faucet's share, and the rest from the deployer's supply.</summary>
    private async Task FundAsync(EthKey key, BigInteger amount)
    {
        await DevnetFaucet.FundAsync(fixture.Token, key);
        var balance = await fixture.Token.BalanceOfAsync(key.Address);
        if (balance < amount)
        {
            await fixture.Token.TransferAsync(new TransactionSender(fixture.Chain, DevAccounts.Deployer.Key), key.Address, amount - balance);
        }
    }

    /// <summary>
    /// Polls the gateway's <c>GET /v1/miners</c> until each miner of <paramref name="expected"/> is admitted with those free
    /// credits (null: not admitted, or not listed at all); the gateway is the condition's only source.
    /// </summary>
    private static async Task WaitForCreditsAsync(GatewayClient app, Dictionary<Address, int?> expected, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await app.SendAsync(HttpMethod.Get, $"/v1/miners?model={Model}");
                last = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    using var doc = JsonDocument.Parse(last);
                    var seen = doc.RootElement.GetProperty("data").EnumerateArray()
                        .Where(m => m.GetProperty("admitted").GetBoolean())
                        .ToDictionary(m => Address.Parse(m.GetProperty("address").GetString()!), m => m.GetProperty("free_credits").GetInt32());
                    if (expected.All(e => e.Value is { } credits ? seen.TryGetValue(e.Key, out var c) && c == credits : !seen.ContainsKey(e.Key)))
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                last = e.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        var want = string.Join(", ", expected.Select(e => $"{e.Key}: {(e.Value is { } c ? $"{c} credits" : "not admitted")}"));
        throw new Xunit.Sdk.XunitException($"{what}: not {want} within {timeout}; last answer: {last}");
    }

    /// <summary>A free port whose successor is free too: a miner serving two coordinators listens on both.</summary>
    private static int FreePortPair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = ClusterFixture.FreePort();
            if (port >= IPEndPoint.MaxPort)
            {
                continue;
            }
            try
            {
                using var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
        throw new InvalidOperationException("no two consecutive free ports on 127.0.0.1");
    }
}
