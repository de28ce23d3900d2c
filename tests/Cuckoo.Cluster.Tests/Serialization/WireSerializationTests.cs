using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Serialization;
using Akka.Serialization;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Tests.Transport;
using Cuckoo.Persistence;
using Xunit;

namespace Cuckoo.Cluster.Tests.Serialization;

/// <summary>A record that forgot <see cref="IWireMessage"/>.</summary>
public sealed record Unbound(int Value);

[EventManifest("test.cluster-event.v1")]
public sealed record ClusterEvent(string Name) : IPersistedEvent;

[WireManifest("test.unlisted.v1")]
public sealed record Unlisted(string Name) : IWireMessage;

/// <summary>The serializers on one node, without a socket: what is bound where, what is written, what is refused.</summary>
public sealed class WireSerializationTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("wire",
        // Remoting on (port 0, nothing connects): Akka.Remote's serializers and bindings load only with it.
        ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            """)
            .WithFallback(ConfigurationFactory.ParseString(WireSerialization.Hocon))
            .WithFallback(ConfigurationFactory.ParseString(PersistedEventSerializer.Hocon)));

    private Akka.Serialization.Serialization Serialization => _system.Serialization;

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Fact]
    public void A_wire_message_travels_as_json_under_its_manifest()
    {
        var serializer = Assert.IsType<WireMessageSerializer>(Serialization.FindSerializerFor(new Pong("a")));

        var bytes = serializer.ToBinary(new Pong("a"));

        Assert.Equal(7118, serializer.Identifier);
        Assert.Equal("test.pong.v1", Akka.Serialization.Serialization.ManifestFor(serializer, new Pong("a")));
        Assert.Equal("""{"Text":"a"}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal(new Pong("a"), Serialization.Deserialize(bytes, 7118, "test.pong.v1"));
    }

    [Fact]
    public void Serializing_an_unbound_type_fails_here_with_a_sentence_naming_it()
    {
        Assert.IsType<RefusingSerializer>(Serialization.FindSerializerFor(new Unbound(1)));

        var error = Assert.Throws<WireSerializationException>(() => Serialization.Serialize(new Unbound(1)));

        Assert.Equal("Cuckoo.Cluster.Tests.Serialization.Unbound has no serializer for the wire: implement " +
            "Cuckoo.Cluster.Serialization.IWireMessage and give it a [WireManifest], or bind it to a serializer of its own.", error.Message);
    }

    [Theory]
    [InlineData(1, "")]
    [InlineData(1, "System.Diagnostics.Process, System.Diagnostics.Process")]
    [InlineData(2, "System.Diagnostics.Process, System.Diagnostics.Process")]
    [InlineData(3, "")]
    public void Payloads_for_the_ids_that_named_clr_types_are_refused(int id, string manifest)
    {
        var payload = """{"$type":"System.Diagnostics.Process, System.Diagnostics.Process"}"""u8.ToArray();

        var error = Assert.Throws<WireSerializationException>(() => Serialization.Deserialize(payload, id, manifest));

        Assert.StartsWith($"Refused a {payload.Length}-byte payload for serializer {id}", error.Message);
        Assert.EndsWith("this node reads only its wire messages and Akka's own.", error.Message);
    }

    [Fact]
    public void An_unknown_manifest_under_7118_is_refused_without_resolving_a_type()
    {
        var error = Assert.Throws<UnknownWireManifestException>(() =>
            Serialization.Deserialize("{}"u8.ToArray(), 7118, "Cuckoo.Cluster.Tests.Transport.Pong, Cuckoo.Cluster.Tests"));

        Assert.Equal("No wire message type has the manifest 'Cuckoo.Cluster.Tests.Transport.Pong, Cuckoo.Cluster.Tests': " +
            "the sender runs another protocol version, or forged it.", error.Message);
    }

    [Fact]
    public void A_payload_that_lacks_a_constructor_parameter_is_refused()
    {
        var error = Assert.Throws<WireSerializationException>(() => Serialization.Deserialize("{}"u8.ToArray(), 7118, "test.pong.v1"));

        Assert.StartsWith("The payload for 'test.pong.v1' could not be read as Cuckoo.Cluster.Tests.Transport.Pong:", error.Message);
    }

    [Fact]
    public void Remote_deployment_and_protobuf_are_refused_on_the_way_out_with_their_own_sentence()
    {
        var proto = Serialization.FindSerializerForType(typeof(Google.Protobuf.IMessage));
        var daemon = Serialization.FindSerializerForType(Type.GetType("Akka.Remote.DaemonMsgCreate, Akka.Remote", throwOnError: true)!);

        Assert.Equal(2, Assert.IsType<RefusingSerializer>(proto).Identifier);
        Assert.Equal(3, Assert.IsType<RefusingSerializer>(daemon).Identifier);
        var error = Assert.Throws<WireSerializationException>(() => daemon.ToBinary(new Unbound(2)));
        Assert.EndsWith("remote deployment is disabled: start the actor on its own node.", error.Message);
    }

    [Fact]
    public void Akka_own_messages_and_persisted_events_keep_their_serializers()
    {
        Assert.IsType<MiscMessageSerializer>(Serialization.FindSerializerFor(new Identify(1)));
        Assert.IsType<PrimitiveSerializers>(Serialization.FindSerializerFor("text"));
        Assert.IsType<ByteArraySerializer>(Serialization.FindSerializerFor(new byte[] { 1 }));
        Assert.IsType<PersistedEventSerializer>(Serialization.FindSerializerFor(new ClusterEvent("e")));
        Assert.Equal(new Identify(7), Serialization.Deserialize(Serialization.Serialize(new Identify(7)), 16, "ID"));
    }

    [Fact]
    public void A_registry_of_listed_types_refuses_to_write_a_type_it_could_not_read()
    {
        var registry = WireTypeRegistry.FromTypes(typeof(Ping), typeof(Pong));

        var error = Assert.Throws<WireSerializationException>(() => registry.ManifestOf(typeof(Unlisted)));

        Assert.Equal("Cuckoo.Cluster.Tests.Serialization.Unlisted ('test.unlisted.v1') is not among this node's wire message types.", error.Message);
        Assert.Throws<ArgumentException>(() => WireTypeRegistry.FromTypes(typeof(Unbound)));
    }
}
