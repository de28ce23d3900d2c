using System.Net;
using System.Text.Json;
using Cuckoo.Coordinator.Admin;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Admin;

/// <summary>Reading the cluster and the miners, and naming members that are not there.</summary>
[Collection("admin-host")]
public sealed class AdminClusterTests(AdminHostFixture fixture)
{
    private AdminHost Host => fixture.Host;

    [Fact]
    public async Task Members_lists_the_self_member_up_with_its_roles_and_the_leader()
    {
        using var client = Host.Client(Host.Token);
        using var response = await client.GetAsync("admin/cluster/members");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = JsonSerializer.Deserialize<ClusterMembersView>(await response.Content.ReadAsStringAsync(), AdminJson.Options)!;

        var self = Host.Cluster.SelfAddress.ToString();
        Assert.StartsWith("akka.tcp://cuckoo-admin-test@127.0.0.1:", self);
        Assert.Equal(self, view.Self);
        Assert.Equal(self, view.Leader);
        var member = Assert.Single(view.Members);
        Assert.Equal(self, member.Address);
        Assert.Equal("Up", member.Status);
        Assert.Equal(["coordinator"], member.Roles);
        Assert.True(member.Reachable);
        Assert.Equal(Host.Cluster.SelfUniqueAddress.Uid, member.Uid);
        Assert.NotNull(member.UpSince);
        Assert.True(member.UptimeSeconds >= 0);
        Assert.Null(member.Miner);
    }

    [Theory]
    [InlineData("leave", "127.0.0.1:1")]
    [InlineData("down", "127.0.0.1:1")]
    [InlineData("leave", "akka.tcp://cuckoo-admin-test@127.0.0.1:1")]
    [InlineData("down", "akka.tcp://nobody@10.0.0.1:4053")]
    [InlineData("down", "0x00000000000000000000000000000000000000b2")]
    public async Task Leave_or_down_of_an_unknown_member_is_404(string action, string member)
    {
        using var client = Host.Client(Host.Token);
        using var response = await client.PostAsync($"admin/cluster/members/{Uri.EscapeDataString(member)}/{action}", null);
        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("no ", problem.GetProperty("detail").GetString());
        Assert.Equal("Up", MemberStatus());
    }

    [Fact]
    public async Task An_admitted_miner_that_is_not_a_member_is_404_and_says_so()
    {
        using var client = Host.Client(Host.Token);
        using var response = await client.PostAsync($"admin/cluster/members/{AdminHostFixture.Absent.Miner}/down", null);
        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("is admitted but its node is not a cluster member", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Miners_lists_what_the_registry_admitted_with_the_weight_as_a_decimal_string()
    {
        using var client = Host.Client(Host.Token);
        using var response = await client.GetAsync("admin/miners");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"weight\":\"25000000000000000000000\"", body);
        var miner = Assert.Single(JsonSerializer.Deserialize<List<AdmittedMinerView>>(body, AdminJson.Options)!);
        var expected = AdminHostFixture.Absent;
        Assert.Equal(expected with { Models = miner.Models }, miner);
        Assert.Equal(expected.Models, miner.Models);
    }

    [Fact]
    public async Task A_failing_registry_is_a_500_problem_that_keeps_its_internals()
    {
        Host.Miners.Failure = new InvalidOperationException("secret internals");
        try
        {
            using var client = Host.Client(Host.Token);
            using var response = await client.GetAsync("admin/miners");
            var problem = await ProblemAsync(response, HttpStatusCode.InternalServerError);
            Assert.DoesNotContain("secret internals", problem.ToString());
            Assert.DoesNotContain("InvalidOperationException", problem.ToString());
        }
        finally
        {
            Host.Miners.Failure = null;
        }
    }

    [Fact]
    public async Task An_idle_event_stream_sends_keepalive_comments()
    {
        await using var host = await AdminHost.StartAsync(keepAlive: TimeSpan.FromMilliseconds(200));
        using var client = host.Client(host.Token);
        using var response = await client.GetAsync("admin/cluster/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        while (lines.Count(l => l == ": keepalive") < 2)
        {
            lines.Add(await reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException(string.Join('\n', lines)));
        }
        Assert.Contains("event: MemberUp", lines);
        Assert.True(lines.IndexOf("event: MemberUp") < lines.IndexOf(": keepalive"), string.Join('\n', lines));
    }

    private string MemberStatus() => Host.Cluster.SelfMember.Status.ToString();

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
