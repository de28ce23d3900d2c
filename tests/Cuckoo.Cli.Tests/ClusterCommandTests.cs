using System.Net;
using System.Numerics;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Cuckoo.Coordinator.Admin;
using Cuckoo.Staking.Devnet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;
using ChainAddress = Cuckoo.Chain.Address;

namespace Cuckoo.Cli.Tests;

/// <summary>`cuckoo cluster …` and `cuckoo miners` against a running admin endpoint (real Kestrel, HTTPS, one-node cluster).</summary>
public sealed class ClusterCommandTests(AdminEndpointFixture admin) : IClassFixture<AdminEndpointFixture>
{
    private static void OneSentence(CliRunResult r, int code, string command, string contains)
    {
        Assert.True(r.Code == code, r.ToString());
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.ToString());
        Assert.StartsWith($"cuckoo {command}: ", lines[0]);
        Assert.Contains(contains, lines[0]);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
    }

    [Fact]
    public async Task Cluster_show_json_reads_the_access_file_and_lists_the_self_member_up()
    {
        var r = await RunAsync("cluster", "show", "--json", "--admin-token-file", admin.AccessFile);
        Assert.True(r.Code == 0, r.ToString());
        var view = JsonSerializer.Deserialize<ClusterMembersView>(r.Out, AdminJson.Options)!;
        Assert.Equal(admin.Self, view.Self);
        var self = Assert.Single(view.Members);
        Assert.Equal(admin.Self, self.Address);
        Assert.Equal("Up", self.Status);
        Assert.Equal(["coordinator"], self.Roles);
        Assert.True(self.Reachable);
    }

    [Fact]
    public async Task Cluster_show_prints_a_table_of_the_members()
    {
        var r = await RunAsync("cluster", "show", "--admin-token-file", admin.AccessFile);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains($"self {admin.Self}, leader {admin.Self}, 1 member(s)", r.Out);
        var row = Assert.Single(r.Out.Split('\n'), l => l.Contains(admin.Self, StringComparison.Ordinal) && l.Contains("coordinator", StringComparison.Ordinal));
        Assert.Contains("Up", row);
        Assert.Contains("ADDRESS", r.Out);
    }

    [Fact]
    public async Task Miners_shows_the_weight_in_wei_as_json_and_in_CAI_in_the_table()
    {
        var json = await RunAsync("miners", "--json", "--admin-token-file", admin.AccessFile);
        Assert.True(json.Code == 0, json.ToString());
        var miner = Assert.Single(JsonDocument.Parse(json.Out).RootElement.EnumerateArray());
        Assert.Equal("25000000000000000000000", miner.GetProperty("weight").GetString());
        Assert.Equal(AdminEndpointFixture.Miner.Miner.ToString(), miner.GetProperty("miner").GetString());

        var table = await RunAsync("miners", "--admin-token-file", admin.AccessFile);
        Assert.True(table.Code == 0, table.ToString());
        var row = Assert.Single(table.Out.Split('\n'), l => l.Contains(AdminEndpointFixture.Miner.Miner.ToString(), StringComparison.Ordinal));
        Assert.Contains("25000", row);
        Assert.Contains("yes: missed heartbeats", row);
    }

    [Fact]
    public async Task Tail_with_a_count_prints_the_current_members_as_json_lines_and_exits()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var r = await RunAsync(deadline.Token, "cluster", "tail", "--count", "1", "--json", "--admin-token-file", admin.AccessFile);
        Assert.True(r.Code == 0, r.ToString());
        Assert.False(deadline.IsCancellationRequested);
        var e = JsonSerializer.Deserialize<ClusterEventView>(Assert.Single(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)), AdminJson.Options)!;
        Assert.Equal(("MemberUp", admin.Self), (e.Type, e.Address));
    }

    [Fact]
    public async Task A_wrong_token_exits_4_with_one_sentence()
    {
        var r = await RunAsync("cluster", "show", "--admin", admin.Url.ToString(), "--admin-token-file", admin.WrongTokenFile, "--admin-thumbprint", admin.Thumbprint, "--json");
        OneSentence(r, 4, "cluster show", "refused the token (401)");
        Assert.Equal("unauthorized", JsonDocument.Parse(r.Out).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_unreachable_endpoint_exits_3_with_one_sentence()
    {
        var file = Path.Combine(admin.Temp, "unreachable.json");
        AdminAccessFile.Write(file, new Uri($"https://127.0.0.1:{HardhatNode.FreePort()}/admin"), admin.Token, admin.Thumbprint);
        OneSentence(await RunAsync("cluster", "show", "--admin-token-file", file), 3, "cluster show", "is unreachable");
        OneSentence(await RunAsync("cluster", "tail", "--admin-token-file", file), 3, "cluster tail", "is unreachable");
    }

    [Fact]
    public async Task A_certificate_that_is_not_the_pinned_one_is_refused()
    {
        using var other = AdminCertificate.CreateSelfSigned();
        var file = Path.Combine(admin.Temp, "stale.json");
        AdminAccessFile.Write(file, admin.Url, admin.Token, AdminCertificate.Thumbprint(other));
        var r = await RunAsync("miners", "--admin-token-file", file, "--json");
        OneSentence(r, 3, "miners", $"presented a certificate with SHA-256 {admin.Thumbprint}, not the pinned {AdminCertificate.Thumbprint(other)}");
        Assert.Equal("certificate-mismatch", JsonDocument.Parse(r.Out).RootElement.GetProperty("kind").GetString());

        // Without a pin the self-signed certificate is not trusted either.
        var unpinned = await RunAsync("miners", "--admin", admin.Url.ToString(), "--admin-token-file", admin.TokenFile);
        OneSentence(unpinned, 3, "miners", "does not trust, and no thumbprint is pinned");
    }

    [Theory]
    [InlineData("leave", "127.0.0.1:1", "no cluster member 127.0.0.1:1")]
    [InlineData("down", "0x00000000000000000000000000000000000000b2", "no admitted miner 0x00000000000000000000000000000000000000b2")]
    public async Task Leave_or_down_of_an_unknown_member_exits_1_with_the_coordinators_sentence(string action, string member, string says)
    {
        var r = await RunAsync("cluster", action, member, "--admin-token-file", admin.AccessFile);
        OneSentence(r, 1, $"cluster {action}", says);
    }

    [Theory]
    [InlineData("cluster", "tail", "--count", "0")]
    [InlineData("cluster", "show", "--admin", "ftp://127.0.0.1:1")]
    [InlineData("cluster", "show", "--admin-thumbprint", "zz")]
    [InlineData("miners", "--admin", "http://192.0.2.1:9443")]
    [InlineData("cluster", "leave", " ")]
    public async Task Bad_arguments_exit_2_before_anything_is_sent(params string[] args)
    {
        var r = await RunAsync([.. args, "--admin-token-file", admin.TokenFile]);
        OneSentence(r, 2, args[0] == "miners" ? "miners" : $"cluster {args[1]}", args[0] == "miners" ? "in clear" : "");
    }

    [Fact]
    public async Task The_environment_names_the_endpoint_its_token_and_pin()
    {
        string[] names = ["CUCKOO_ADMIN_URL", "CUCKOO_ADMIN_TOKEN", "CUCKOO_ADMIN_THUMBPRINT"];
        try
        {
            Environment.SetEnvironmentVariable(names[0], admin.Url.ToString());
            Environment.SetEnvironmentVariable(names[1], admin.Token);
            Environment.SetEnvironmentVariable(names[2], admin.Thumbprint.ToUpperInvariant());
            var r = await RunAsync("cluster", "show", "--json");
            Assert.True(r.Code == 0, r.ToString());
            Assert.Contains(admin.Self, r.Out);
            // An option still wins over the environment.
            OneSentence(await RunAsync("cluster", "show", "--admin-token-file", admin.WrongTokenFile), 4, "cluster show", "refused the token (401)");
        }
        finally
        {
            foreach (var name in names)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public async Task A_missing_token_file_is_a_key_problem()
    {
        var r = await RunAsync("cluster", "show", "--admin-token-file", Path.Combine(admin.Temp, "none.json"));
        OneSentence(r, 4, "cluster show", "cannot read the admin token file");
    }
}

/// <summary>A one-node cluster (127.0.0.1, port 0) with the admin endpoints on Kestrel over HTTPS, and its access files.</summary>
public sealed class AdminEndpointFixture : IAsyncLifetime
{
    public static readonly AdmittedMinerView Miner = new(
        ChainAddress.Parse("0x00000000000000000000000000000000000000a1"), new string('a', 64), null, ["resnet50"], 4, "cuda", "0.9.0",
        BigInteger.Parse("25000000000000000000000"), DateTimeOffset.Parse("2025-01-02T03:04:05Z"), Jailed: true, JailReason: "missed heartbeats");

    private ActorSystem _system = null!;
    private WebApplication _app = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate = null!;

    public string Temp { get; } = Directory.CreateTempSubdirectory("cuckoo-cli-admin-").FullName;

    public string Token { get; } = AdminAccessFile.NewToken();

    public Uri Url { get; private set; } = null!;

    public string Thumbprint => AdminCertificate.Thumbprint(_certificate);

    public string Self { get; private set; } = "";

    public string AccessFile => Path.Combine(Temp, "coordinator", "admin.json");

    public string TokenFile => Path.Combine(Temp, "token.txt");

    public string WrongTokenFile => Path.Combine(Temp, "wrong-token.txt");

    public async Task InitializeAsync()
    {
        _system = ActorSystem.Create("cuckoo-cli-admin", ConfigurationFactory.ParseString("""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              log-dead-letters = off
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
              cluster.roles = ["coordinator"]
              coordinated-shutdown.run-by-clr-shutdown-hook = off
            }
            """));
        var cluster = Akka.Cluster.Cluster.Get(_system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Self = cluster.SelfAddress.ToString();

        _certificate = AdminCertificate.CreateSelfSigned();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_system);
        builder.Services.AddSingleton(new AdminOptions { Token = Token });
        builder.Services.AddSingleton<IAdmittedMiners>(new FixedMiners([Miner]));
        _app = builder.Build();
        _app.MapAdmin();
        await _app.StartAsync();
        var root = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Url = new Uri(root, "/admin");
        AdminAccessFile.Write(AccessFile, Url, Token, Thumbprint);
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
        await File.WriteAllTextAsync(WrongTokenFile, Token + "x\n");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _system.Terminate();
        _certificate.Dispose();
        Directory.Delete(Temp, recursive: true);
    }

    private sealed class FixedMiners(IReadOnlyList<AdmittedMinerView> miners) : IAdmittedMiners
    {
        public IReadOnlyList<AdmittedMinerView> List() => miners;
    }
}
