using System.Net;
using System.Numerics;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Cuckoo.Coordinator.Admin;
using Xunit;
using ChainAddress = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Tests.Admin;

/// <summary>A second node joins, shows in the stream and the listing, and is downed or asked to leave through the API.</summary>
public sealed class AdminMembershipTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_stream_shows_a_joining_node_up_and_downing_it_by_miner_address_removes_it()
    {
        await using var host = await AdminHost.StartAsync();
        var second = AdminHost.StartNode("miner");
        try
        {
            var secondAddress = Akka.Cluster.Cluster.Get(second).SelfAddress.ToString();
            var miner = ChainAddress.Parse("0x00000000000000000000000000000000000000c3");
            host.Miners.Admitted = [new AdmittedMinerView(miner, new string('c', 64), secondAddress, ["resnet50", "yolo"], 8, "cuda", "0.9.0",
                BigInteger.Parse("30000000000000000000000"), DateTimeOffset.UtcNow, Jailed: false, JailReason: null)];
            using var client = host.Client(host.Token);
            await using var events = await SseReader.OpenAsync(client);
            Assert.Equal(HttpStatusCode.OK, events.Response.StatusCode);
            Assert.Equal("text/event-stream", events.Response.Content.Headers.ContentType?.MediaType);
            // The current members come first, as events: the subscription is live from here.
            await events.WaitForAsync(e => e.Type == "MemberUp" && e.Address == host.Cluster.SelfAddress.ToString(), Deadline);

            await AdminHost.JoinAsync(second, host.Cluster.SelfAddress);
            var up = await events.WaitForAsync(e => e.Type == "MemberUp" && e.Address == secondAddress, Deadline);
            Assert.Equal(["miner"], up.Roles);
            Assert.Equal("Up", up.Status);

            var listed = await MembersAsync(client);
            var member = Assert.Single(listed.Members, m => m.Address == secondAddress);
            Assert.Equal("Up", member.Status);
            Assert.NotNull(member.UpSince);
            Assert.Equal(new MemberMinerView(miner, BigInteger.Parse("30000000000000000000000"), member.Miner!.Models, "cuda", false), member.Miner);
            Assert.Equal(["resnet50", "yolo"], member.Miner.Models);

            using var downed = await client.PostAsync($"admin/cluster/members/{miner}/down", null);
            Assert.Equal(HttpStatusCode.Accepted, downed.StatusCode);
            var action = JsonSerializer.Deserialize<MemberActionView>(await downed.Content.ReadAsStringAsync(), AdminJson.Options)!;
            Assert.Equal(new MemberActionView(secondAddress, Akka.Cluster.Cluster.Get(second).SelfUniqueAddress.Uid, "down", "Up"), action);

            await events.WaitForAsync(e => e.Type == "MemberDowned" && e.Address == secondAddress, Deadline);
            var removed = await events.WaitForAsync(e => e.Type == "MemberRemoved" && e.Address == secondAddress, Deadline);
            Assert.Equal("Down", removed.PreviousStatus);
            Assert.Equal("Removed", removed.Status);
            await Eventually(async () => (await MembersAsync(client)).Members.All(m => m.Address != secondAddress));
            // A downed node shuts itself down.
            await second.WhenTerminated.WaitAsync(Deadline);
        }
        finally
        {
            await second.Terminate();
        }
    }

    [Fact]
    public async Task Leave_by_the_url_encoded_akka_address_makes_the_node_exit()
    {
        await using var host = await AdminHost.StartAsync();
        var second = AdminHost.StartNode("miner");
        try
        {
            await AdminHost.JoinAsync(second, host.Cluster.SelfAddress);
            var secondAddress = Akka.Cluster.Cluster.Get(second).SelfAddress.ToString();
            using var client = host.Client(host.Token);
            await using var events = await SseReader.OpenAsync(client);
            await events.WaitForAsync(e => e.Type == "MemberUp" && e.Address == secondAddress, Deadline);

            using var left = await client.PostAsync($"admin/cluster/members/{Uri.EscapeDataString(secondAddress)}/leave", null);
            Assert.Equal(HttpStatusCode.Accepted, left.StatusCode);
            Assert.Contains("\"action\":\"leave\"", await left.Content.ReadAsStringAsync());

            await events.WaitForAsync(e => e.Type == "MemberLeft" && e.Address == secondAddress, Deadline);
            var removed = await events.WaitForAsync(e => e.Type == "MemberRemoved" && e.Address == secondAddress, Deadline);
            Assert.Equal("Exiting", removed.PreviousStatus);
            await second.WhenTerminated.WaitAsync(Deadline);
        }
        finally
        {
            await second.Terminate();
        }
    }

    private static async Task<ClusterMembersView> MembersAsync(HttpClient client) =>
        JsonSerializer.Deserialize<ClusterMembersView>(await client.GetStringAsync("admin/cluster/members"), AdminJson.Options)!;

    /// <summary>Waits for a condition that the cluster's own view reaches a moment after its events.</summary>
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
