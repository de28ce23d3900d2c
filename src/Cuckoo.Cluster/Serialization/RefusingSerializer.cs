using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// Stands where Akka's serializers that turn peer-supplied CLR type names into objects used to be (see
/// <see cref="WireSerialization.Hocon"/>): Newtonsoft JSON (id 1, Akka's catch-all for System.Object), Protobuf (id 2)
/// and remote deployment (id 3). Writing a message bound to it fails on this node with a sentence naming the type;
/// every payload received under its id is refused, counted and dropped by the remoting layer, which keeps the node and
/// the association up.
/// </summary>
/// <remarks>
/// A <see cref="SerializerWithStringManifest"/> although it never reads anything: for a plain <see cref="Serializer"/>,
/// Akka resolves the received manifest with Type.GetType before calling it, which would load whatever type a peer names.
/// </remarks>
public sealed class RefusingSerializer : SerializerWithStringManifest
{
    private readonly int? _identifier;
    private readonly string _instead;
    private long _refused;

    /// <summary>With the identifier of akka.actor.serialization-identifiers (1, in <see cref="WireSerialization.Hocon"/>).</summary>
    public RefusingSerializer(ExtendedActorSystem system)
        : base(system) =>
        _instead = DefaultInstead;

    /// <summary>
    /// With the block of akka.actor.serialization-settings named like the serializer: <c>identifier</c> lets one class
    /// refuse several ids, <c>instead</c> says what a sender should do instead.
    /// </summary>
    public RefusingSerializer(ExtendedActorSystem system, Config config)
        : base(system)
    {
        var identifier = config.GetInt("identifier", 0);
        _identifier = identifier > 0 ? identifier : null;
        _instead = config.GetString("instead", null) ?? DefaultInstead;
    }

    private const string DefaultInstead =
        "implement Cuckoo.Cluster.Serialization.IWireMessage and give it a [WireManifest], or bind it to a serializer of its own";

    public override int Identifier => _identifier ?? base.Identifier;

    /// <summary>Payloads refused under this serializer's id since the node started.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public override string Manifest(object o) => throw Unbound(o);

    public override byte[] ToBinary(object obj) => throw Unbound(obj);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        Interlocked.Increment(ref _refused);
        var named = string.IsNullOrEmpty(manifest) ? string.Empty : $" (manifest '{WireText.Shorten(manifest)}')";
        throw new WireSerializationException(
            $"Refused a {bytes.Length}-byte payload for serializer {Identifier}{named}: this node reads only its wire messages and Akka's own.");
    }

    private WireSerializationException Unbound(object o) =>
        new($"{o.GetType().FullName} has no serializer for the wire: {_instead}.");
}
