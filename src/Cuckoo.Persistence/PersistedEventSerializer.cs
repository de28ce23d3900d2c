using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Serialization;

namespace Cuckoo.Persistence;

/// <summary>
/// Akka serializer for every <see cref="IPersistedEvent"/>: System.Text.Json bytes under the stable manifest of the type's
/// <see cref="EventManifestAttribute"/>. Bound in HOCON (<see cref="Hocon"/>, repeated with comments in hocon/shared.conf).
/// Types are resolved through <see cref="EventTypeRegistrySetup"/> when the actor system was created with one, otherwise by
/// scanning the loaded assemblies and those named in <c>cuckoo.persistence.event-assemblies</c>.
/// </summary>
public sealed class PersistedEventSerializer : SerializerWithStringManifest
{
    /// <summary>Serializer id stored beside every row (Akka reserves 0-100); never change it once rows exist.</summary>
    public const int SerializerId = 7117;

    /// <summary>The serializer definition and binding, for systems that do not load hocon/shared.conf.</summary>
    public const string Hocon = """
        akka.actor {
          serializers.cuckoo-events = "Cuckoo.Persistence.PersistedEventSerializer, Cuckoo.Persistence"
          serialization-bindings { "Cuckoo.Persistence.IPersistedEvent, Cuckoo.Persistence" = cuckoo-events }
          serialization-identifiers { "Cuckoo.Persistence.PersistedEventSerializer, Cuckoo.Persistence" = 7117 }
        }
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public PersistedEventSerializer(ExtendedActorSystem system)
        : base(system)
    {
        var setup = system.Settings.Setup.Get<EventTypeRegistrySetup>();
        Registry = setup.HasValue ? setup.Value.Registry : ScanningRegistry(system);
    }

    public override int Identifier => SerializerId;

    /// <summary>How this serializer maps manifests to types.</summary>
    public EventTypeRegistry Registry { get; }

    public override string Manifest(object o) => Registry.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        var manifest = Registry.ManifestOf(type);
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(obj, type, Json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new PersistenceSerializationException($"Could not serialize {type.FullName} ('{manifest}'): {e.Message}", e);
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = Registry.TypeOf(manifest);
        try
        {
            return JsonSerializer.Deserialize(bytes, type, Json)
                ?? throw new PersistenceSerializationException($"The stored payload for '{manifest}' is JSON null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new PersistenceSerializationException(
                $"The stored payload for '{manifest}' could not be read as {type.FullName}: {e.Message}", e);
        }
    }

    private static EventTypeRegistry ScanningRegistry(ExtendedActorSystem system)
    {
        // Load the listed assemblies now, so that their types are found even before any code touches them.
        foreach (var name in system.Settings.Config.GetStringList("cuckoo.persistence.event-assemblies", []))
        {
            System.Reflection.Assembly.Load(name);
        }

        return EventTypeRegistry.ScanningLoadedAssemblies();
    }
}

/// <summary>
/// Gives <see cref="PersistedEventSerializer"/> a fixed registry instead of the assembly scan (pass it in the
/// <see cref="ActorSystemSetup"/>): tests use it to write under one set of types and read under another.
/// </summary>
public sealed class EventTypeRegistrySetup(EventTypeRegistry registry) : Setup
{
    public EventTypeRegistry Registry { get; } = registry;
}
