using Akka.Actor;
using Akka.Configuration;
using Akka.Remote;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Cluster.Transport;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>A real coordinator process against nodes that break the rules: they are started in the test process, on 127.0.0.1.</summary>
[Collection("cluster")]
public sealed class RogueNodeTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_node_with_a_certificate_of_its_own_cannot_associate_with_the_coordinator()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        var rogue = NodeCertificate.CreateSelfSigned("rogue");
        // The rogue trusts the coordinator; the coordinator has never admitted the rogue.
        using var system = Rogue(coordinator, rogue, tls: true, json: false);
        await AssociationFailsAsync(system);
        await coordinator.Process.WaitForLineAsync($"certificate {NodeCertificate.ThumbprintOf(rogue)}", Wait);
        using var admin = new AdminProbe(coordinator.AccessFile);
        Assert.Single(await admin.MembersAsync());
    }

    [Fact]
    public async Task A_node_without_tls_cannot_associate_with_the_coordinator()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        using var system = Rogue(coordinator, NodeCertificate.CreateSelfSigned("plain"), tls: false, json: false);
        await AssociationFailsAsync(system);
        using var admin = new AdminProbe(coordinator.AccessFile);
        Assert.Single(await admin.MembersAsync());
    }

    [Fact]
    public async Task A_crafted_payload_naming_a_clr_type_is_refused_and_the_coordinator_stays_up()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        // An admitted miner (it enrols properly) whose node then sends what Akka's default JSON serializer writes.
        var certificate = NodeCertificate.CreateSelfSigned("crafty");
        var port = ClusterFixture.FreePort();
        var miner = DevAccounts.ByRole("miner-2").Key;
        using (var http = new HttpClient(EnrolmentTypedData.Handler()))
        {
            await new EnrolmentClient(http).EnrolAsync(
                new Uri($"https://127.0.0.1:{fixture.EnrolmentPort}"), DevAccounts.ByRole("coordinator").Address, miner,
                NodeCertificate.ThumbprintOf(certificate), ["cuckoo-cppn"], 1, "0.9.0", $"127.0.0.1:{port}", "cpu", CancellationToken.None);
        }
        using var system = Rogue(coordinator, certificate, tls: true, json: true, port: port);
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(Wait);

        var target = system.ActorSelection($"{coordinator.AkkaAddress}/user/membership");
        target.Tell(new Smuggled("System.Diagnostics.Process, System.Diagnostics.Process"));
        await coordinator.Process.WaitForLineAsync(l => l.Contains("serializer id [1]", StringComparison.Ordinal) || l.Contains("Refused a ", StringComparison.Ordinal), Wait, "a refused payload");

        using var admin = new AdminProbe(coordinator.AccessFile);
        var members = await admin.MembersAsync();
        Assert.Contains(members, m => m.Address.EndsWith($":{port}", StringComparison.Ordinal) && m.Status == "Up" && m.Reachable);
        Assert.False(coordinator.Process.HasExited);
    }

    /// <summary>A record a peer on Akka's defaults sends with its CLR type name in the manifest.</summary>
    public sealed record Smuggled(string Command);

    private static ActorSystem Rogue(CoordinatorHandle coordinator, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, bool tls, bool json, int? port = null)
    {
        var coordinatorThumbprint = NodeCertificate.ThumbprintOf(NodeCertificate.LoadOrCreate(Path.Combine(coordinator.DataDirectory, "node.pfx"), "unused"));
        var seed = tls ? coordinator.AkkaAddress : coordinator.AkkaAddress.Replace("akka.ssl.tcp://", "akka.tcp://", StringComparison.Ordinal);
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = OFF
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = "127.0.0.1"
                port = {{port ?? ClusterFixture.FreePort()}}
                enable-ssl = {{(tls ? "on" : "off")}}
              }
              cluster {
                roles = ["miner"]
                seed-nodes = ["{{seed}}"]
                downing-provider-class = ""
              }
              coordinated-shutdown.run-by-clr-shutdown-hook = off
            }
            """);
        if (!json)
        {
            config = config.WithFallback(Cuckoo.Cluster.Serialization.WireSerialization.Config);
        }
        return tls
            ? ActorSystem.Create("cuckoo", ClusterTls.SystemSetup(config, certificate, new PeerAllowList([coordinatorThumbprint])))
            : ActorSystem.Create("cuckoo", config);
    }

    /// <summary>The rogue's own remoting says the association failed (positive evidence, not a wait for nothing).</summary>
    private static async Task AssociationFailsAsync(ActorSystem system)
    {
        var failed = new TaskCompletionSource<AssociationErrorEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = system.ActorOf(Props.Create(() => new Listener(failed)));
        system.EventStream.Subscribe(listener, typeof(AssociationErrorEvent));
        await failed.Task.WaitAsync(Wait);
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(TaskCompletionSource<AssociationErrorEvent> failed) => Receive<AssociationErrorEvent>(e => failed.TrySetResult(e));
    }
}
