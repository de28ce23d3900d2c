using Akka.Actor;
using Akka.Remote;
using Cuckoo.Cluster.Serialization;
using Xunit;

namespace Cuckoo.Cluster.Tests.Transport;

/// <summary>Real ActorSystems over real TLS sockets on 127.0.0.1: who may associate, and who may not.</summary>
public sealed class PinnedTlsTests
{
    /// <summary>A refused association is answered by the local endpoint writer once the handshake fails: seconds, but 30 on two loaded cores.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);


    [Fact]
    public async Task Two_nodes_with_admitted_certificates_associate_and_exchange_wire_messages()
    {
        await using var coordinator = TlsNode.Start("coordinator");
        await using var miner = TlsNode.Start("miner");
        TlsNode.Admit(coordinator, miner);
        var probe = miner.Probe();

        var echo = miner.Identify(coordinator, probe, Wait);

        Assert.NotNull(echo);
        echo.Tell(new Ping("over tls"), probe.Ref);
        Assert.Equal(new Pong("over tls"), probe.ExpectMsg<Pong>(Wait));
        Assert.IsType<WireMessageSerializer>(miner.System.Serialization.FindSerializerFor(new Ping("x")));
        Assert.Equal(0, coordinator.Peers.Refusals);
        Assert.Equal(0, miner.Peers.Refusals);
    }

    [Fact]
    public async Task An_actor_reference_inside_a_wire_message_resolves_on_the_other_node()
    {
        await using var coordinator = TlsNode.Start("coordinator");
        await using var miner = TlsNode.Start("miner");
        TlsNode.Admit(coordinator, miner);
        var probe = miner.Probe();
        var echo = miner.Identify(coordinator, probe, Wait)!;
        var replyTo = miner.Probe();

        echo.Tell(new Ping("reply elsewhere", replyTo.Ref), probe.Ref);

        Assert.Equal(new Pong("reply elsewhere"), replyTo.ExpectMsg<Pong>(Wait));
        probe.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_rogue_node_with_a_certificate_of_its_own_cannot_associate()
    {
        await using var coordinator = TlsNode.Start("coordinator");
        await using var rogue = TlsNode.Start("rogue");
        // The rogue trusts the coordinator, so only the coordinator's refusal stands between them.
        rogue.Peers.Allow(coordinator.Thumbprint, "coordinator");
        var probe = rogue.Probe();

        Assert.Null(rogue.Identify(coordinator, probe, Wait));

        AssertAnsweredLocally(probe);
        Assert.True(coordinator.Peers.Refusals > 0);
        Assert.Equal(0, rogue.Peers.Refusals);
        Assert.False(coordinator.Seen.HasMessages);
    }

    [Fact]
    public async Task A_client_refuses_a_server_it_has_not_admitted()
    {
        await using var coordinator = TlsNode.Start("coordinator");
        await using var miner = TlsNode.Start("miner");
        // The server would let the miner in; the miner's own check of the server's certificate must stop it.
        coordinator.Peers.Allow(miner.Thumbprint, "miner");
        var probe = miner.Probe();

        Assert.Null(miner.Identify(coordinator, probe, Wait));

        AssertAnsweredLocally(probe);
        Assert.True(miner.Peers.Refusals > 0);
        Assert.Equal(0, coordinator.Peers.Refusals);
    }

    [Fact]
    public async Task A_node_with_tls_off_cannot_associate()
    {
        await using var coordinator = TlsNode.Start("coordinator");
        await using var plain = TlsNode.Start("plain", tls: false);
        coordinator.Peers.Allow(plain.Thumbprint, "plain");
        var probe = plain.Probe();
        var events = plain.Probe();
        plain.System.EventStream.Subscribe(events.Ref, typeof(AssociationErrorEvent));

        Assert.Null(plain.Identify(coordinator, probe, Wait, scheme: "akka.tcp"));

        AssertAnsweredLocally(probe);
        events.ExpectMsg<AssociationErrorEvent>(Wait);
        Assert.False(coordinator.Seen.HasMessages);
    }

    [Fact]
    public async Task After_revoke_a_new_association_with_that_certificate_is_refused()
    {
        await using var coordinator = TlsNode.Start("coordinator");
        var miner = TlsNode.Start("miner");
        TlsNode.Admit(coordinator, miner);
        Assert.NotNull(miner.Identify(coordinator, miner.Probe(), Wait));

        Assert.True(coordinator.Peers.Revoke(miner.Thumbprint));
        Assert.False(coordinator.Peers.Revoke(miner.Thumbprint));
        await miner.DisposeAsync();
        await using var again = TlsNode.Start("miner", miner.Certificate, miner.Peers);
        var probe = again.Probe();

        Assert.Null(again.Identify(coordinator, probe, Wait));

        AssertAnsweredLocally(probe);
        Assert.True(coordinator.Peers.Refusals > 0);
    }

    /// <summary>
    /// Akka answers an Identify whose association failed with an empty ActorIdentity of its own (from the local endpoint
    /// writer): the remote node never saw the request.
    /// </summary>
    private static void AssertAnsweredLocally(Akka.TestKit.TestProbe probe)
    {
        Assert.False(probe.LastSender.Path.Address.HasGlobalScope, $"The answer came from {probe.LastSender.Path}.");
        Assert.StartsWith("/system/endpointManager/", probe.LastSender.Path.ToStringWithoutAddress());
    }
}
