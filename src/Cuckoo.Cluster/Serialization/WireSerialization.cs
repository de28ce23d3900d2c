namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// The wire serializers as HOCON, for every node that turns on remoting (lay it over hocon/shared.conf; that file cannot
/// hold it, since processes without Cuckoo.Cluster load it too and Akka fails on a serializer type it cannot load).
/// </summary>
public static class WireSerialization
{
    /// <summary>
    /// Binds <see cref="IWireMessage"/> to <see cref="WireMessageSerializer"/> (7118) and puts
    /// <see cref="RefusingSerializer"/> under the names and ids of Akka's serializers that build peer-named CLR types:
    /// json (1, Newtonsoft with type names; Akka binds System.Object to it, so every unbound type now fails to send),
    /// proto (2, Activator.CreateInstance on the manifest's type) and daemon-create (3, remote deployment of any actor
    /// type with arguments). Akka's other serializers stay as they are: see docs/security.md for what they still read.
    /// </summary>
    /// <remarks>
    /// What remains (Akka.NET 1.5.74, read from its assemblies): exceptions inside Status.Failure (id 16) and inside the
    /// system messages Create, Recreate and Failed (id 22) go through Akka.Remote's ExceptionSupport, which calls
    /// Type.GetType on the sent type name and invokes that type's (SerializationInfo, StreamingContext) constructor before
    /// checking it is an exception; for every plain Serializer (ids 4, 6, 7, 8, 22) Akka's Serialization.Deserialize
    /// resolves a non-empty manifest with Type.GetType before the serializer runs (loads a type, creates nothing). Ids 5,
    /// 9, 14, 15, 16, 17 and 36 match manifests against fixed strings; payloads wrapped inside them (selections, pub-sub,
    /// Status.Success) come back through the serializers here.
    /// </remarks>
    public const string Hocon = """
        akka.actor {
          serializers {
            cuckoo-wire = "Cuckoo.Cluster.Serialization.WireMessageSerializer, Cuckoo.Cluster"
            json = "Cuckoo.Cluster.Serialization.RefusingSerializer, Cuckoo.Cluster"
            proto = "Cuckoo.Cluster.Serialization.RefusingSerializer, Cuckoo.Cluster"
            daemon-create = "Cuckoo.Cluster.Serialization.RefusingSerializer, Cuckoo.Cluster"
          }
          serialization-bindings {
            "Cuckoo.Cluster.Serialization.IWireMessage, Cuckoo.Cluster" = cuckoo-wire
          }
          serialization-identifiers {
            "Cuckoo.Cluster.Serialization.WireMessageSerializer, Cuckoo.Cluster" = 7118
            "Cuckoo.Cluster.Serialization.RefusingSerializer, Cuckoo.Cluster" = 1
          }
          serialization-settings {
            proto {
              identifier = 2
              instead = "Protobuf messages do not cross the wire here: carry the data in an IWireMessage"
            }
            daemon-create {
              identifier = 3
              instead = "remote deployment is disabled: start the actor on its own node"
            }
          }
        }
        """;

    /// <summary><see cref="Hocon"/> parsed, for <c>WithFallback</c> under a node's own configuration.</summary>
    public static Akka.Configuration.Config Config { get; } = Akka.Configuration.ConfigurationFactory.ParseString(Hocon);
}
