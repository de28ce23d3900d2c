using Akka.Actor;
using Akka.Event;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Tests.Transport;
using Xunit;

namespace Cuckoo.Cluster.Tests.Serialization;

/// <summary>A record with a command in it, that a peer on Akka's default JSON serializer would send with its CLR type name.</summary>
public sealed record Smuggled(string Command);

/// <summary>A wire message the sender knows and the receiver does not.</summary>
[WireManifest("test.forged.v1")]
public sealed record Forged(string Text) : IWireMessage;

/// <summary>
/// An admitted peer that does not follow the rules sends crafted payloads over pinned TLS: the hardened receiver refuses
/// each one, logs it, and keeps serving the same association.
/// </summary>
public sealed class HardenedReceiverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>Akka's defaults (Newtonsoft JSON for System.Object, with type names) plus our wire serializer.</summary>
    private const string DefaultJsonPlusWire = """
        akka.actor {
          serializers.cuckoo-wire = "Cuckoo.Cluster.Serialization.WireMessageSerializer, Cuckoo.Cluster"
          serialization-bindings { "Cuckoo.Cluster.Serialization.IWireMessage, Cuckoo.Cluster" = cuckoo-wire }
          serialization-identifiers { "Cuckoo.Cluster.Serialization.WireMessageSerializer, Cuckoo.Cluster" = 7118 }
        }
        """;

    [Fact]
    public async Task A_payload_from_akka_default_json_serializer_is_refused_and_the_next_message_still_arrives()
    {
        await using var receiver = TlsNode.Start("receiver");
        await using var sender = TlsNode.Start("sender", serialization: DefaultJsonPlusWire);
        TlsNode.Admit(receiver, sender);
        var warnings = Watch(receiver);
        var probe = sender.Probe();
        var echo = sender.Identify(receiver, probe, Wait)!;
        Assert.IsType<Akka.Serialization.NewtonSoftJsonSerializer>(sender.System.Serialization.FindSerializerFor(new Smuggled("x")));

        echo.Tell(new Smuggled("rm -rf /"), probe.Ref);
        echo.Tell(new Ping("still here"), probe.Ref);

        Assert.Equal(new Pong("still here"), probe.ExpectMsg<Pong>(Wait));
        warnings.FishForMessage<Warning>(w => w.Message.ToString()!.Contains("serializer id [1]"), Wait);
        Assert.Equal(1, JsonRefuser(receiver).Refused);
        Assert.False(receiver.Seen.HasMessages);
    }

    [Fact]
    public async Task A_payload_under_7118_with_an_unknown_manifest_is_refused_and_the_next_message_still_arrives()
    {
        var known = new WireTypeRegistrySetup(WireTypeRegistry.FromTypes(typeof(Ping), typeof(Pong)));
        var withForged = new WireTypeRegistrySetup(WireTypeRegistry.FromTypes(typeof(Ping), typeof(Pong), typeof(Forged)));
        await using var receiver = TlsNode.Start("receiver", setups: known);
        await using var sender = TlsNode.Start("sender", setups: withForged);
        TlsNode.Admit(receiver, sender);
        var warnings = Watch(receiver);
        var probe = sender.Probe();
        var echo = sender.Identify(receiver, probe, Wait)!;

        echo.Tell(new Forged("who reads this?"), probe.Ref);
        echo.Tell(new Ping("still here"), probe.Ref);

        Assert.Equal(new Pong("still here"), probe.ExpectMsg<Pong>(Wait));
        var warning = warnings.FishForMessage<Warning>(w => w.Message.ToString()!.Contains("serializer id [7118]"), Wait);
        Assert.Contains("No wire message type has the manifest 'test.forged.v1'", warning.Message.ToString());
        Assert.False(receiver.Seen.HasMessages);
    }

    [Fact]
    public async Task A_local_message_that_cannot_be_serialized_is_dropped_here_and_the_association_stays()
    {
        await using var receiver = TlsNode.Start("receiver");
        await using var sender = TlsNode.Start("sender");
        TlsNode.Admit(receiver, sender);
        var probe = sender.Probe();
        var echo = sender.Identify(receiver, probe, Wait)!;
        var errors = sender.Probe();
        sender.System.EventStream.Subscribe(errors.Ref, typeof(Error));

        echo.Tell(new Unbound(1), probe.Ref);
        echo.Tell(new Ping("still here"), probe.Ref);

        Assert.Equal(new Pong("still here"), probe.ExpectMsg<Pong>(Wait));
        var error = errors.FishForMessage<Error>(e => e.Cause is WireSerializationException, Wait);
        Assert.Contains("Unbound has no serializer for the wire", error.Cause.Message);
    }

    private static Akka.TestKit.TestProbe Watch(TlsNode node)
    {
        var probe = node.Probe();
        node.System.EventStream.Subscribe(probe.Ref, typeof(Warning));
        return probe;
    }

    private static RefusingSerializer JsonRefuser(TlsNode node) =>
        Assert.IsType<RefusingSerializer>(node.System.Serialization.FindSerializerForType(typeof(object)));
}
