using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// Akka serializer for every <see cref="IWireMessage"/>: System.Text.Json bytes under the stable manifest of the type's
/// <see cref="WireManifestAttribute"/>. A received manifest is looked up in the <see cref="WireTypeRegistry"/> (from
/// <see cref="WireTypeRegistrySetup"/> when the system has one, else the assembly scan), never resolved with Type.GetType;
/// an unknown one is refused with <see cref="UnknownWireManifestException"/> and the remoting layer drops the message.
/// </summary>
public sealed class WireMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Serializer id sent beside every payload (Akka reserves 0-100); fixed forever once nodes talk.</summary>
    public const int SerializerId = 7118;

    private readonly JsonSerializerOptions _json;

    public WireMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
        var setup = system.Settings.Setup.Get<WireTypeRegistrySetup>();
        Registry = setup.HasValue ? setup.Value.Registry : WireTypeRegistry.ScanningLoadedAssemblies();
        _json = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            // A hostile peer's payload must fail to read rather than yield half-built messages: constructor parameters
            // are required and non-nullable members refuse null. Depth is bounded well under the frame size's reach.
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            MaxDepth = 32,
            Converters = { new ActorRefJsonConverter(system) },
        };
    }

    public override int Identifier => SerializerId;

    /// <summary>How this serializer maps manifests to types.</summary>
    public WireTypeRegistry Registry { get; }

    public override string Manifest(object o) => Registry.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        var manifest = Registry.ManifestOf(type);
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(obj, type, _json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new WireSerializationException($"Could not serialize {type.FullName} ('{manifest}'): {e.Message}", e);
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = Registry.TypeOf(manifest);
        try
        {
            return JsonSerializer.Deserialize(bytes, type, _json)
                ?? throw new WireSerializationException($"The payload for '{manifest}' is JSON null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new WireSerializationException($"The payload for '{manifest}' could not be read as {type.FullName}: {WireText.Shorten(e.Message, 300)}", e);
        }
    }
}
