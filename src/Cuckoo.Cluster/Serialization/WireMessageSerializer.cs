using System.Text.Json;
using Akka.Actor;
using Cuckoo.Persistence;

namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// Akka serializer for every <see cref="IWireMessage"/>: System.Text.Json bytes under the stable manifest of the type's
/// <see cref="WireManifestAttribute"/>. A received manifest is looked up in the <see cref="WireTypeRegistry"/> (from
/// <see cref="WireTypeRegistrySetup"/> when the system has one, else the assembly scan), never resolved with Type.GetType;
/// an unknown one is refused with <see cref="UnknownWireManifestException"/> and the remoting layer drops the message.
/// </summary>
public sealed class WireMessageSerializer : ManifestJsonSerializer<WireTypeRegistry>
{
    /// <summary>Serializer id sent beside every payload (Akka reserves 0-100); fixed forever once nodes talk.</summary>
    public const int SerializerId = 7118;

    public WireMessageSerializer(ExtendedActorSystem system)
        : base(system, RegistryOf(system), StrictJson(system))
    {
    }

    public override int Identifier => SerializerId;

    protected override string PayloadNoun => "payload";

    protected override WireSerializationException Failure(string message, Exception? inner = null) => new(message, inner);

    // A peer's bytes can also trip the strict options' argument checks; that is one bad message, not a fault here.
    protected override bool IsReadFailure(Exception e) => e is ArgumentException;

    // The reader's message can quote the peer's bytes: cut it before it reaches a log line.
    protected override string ReadError(Exception e) => WireText.Shorten(e.Message, 300);

    private static WireTypeRegistry RegistryOf(ExtendedActorSystem system)
    {
        var setup = system.Settings.Setup.Get<WireTypeRegistrySetup>();
        return setup.HasValue ? setup.Value.Registry : WireTypeRegistry.ScanningLoadedAssemblies();
    }

    private static JsonSerializerOptions StrictJson(ExtendedActorSystem system) => new(JsonSerializerDefaults.General)
    {
        // A hostile peer's payload must fail to read rather than yield half-built messages: constructor parameters
        // are required and non-nullable members refuse null. Depth is bounded well under the frame size's reach.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        MaxDepth = 32,
        Converters = { new ActorRefJsonConverter(system) },
    };
}
