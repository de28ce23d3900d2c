using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;

namespace Cuckoo.Persistence;

/// <summary>
/// Akka serializer for every <see cref="IPersistedEvent"/>: System.Text.Json bytes under the stable manifest of the type's
/// <see cref="EventManifestAttribute"/>. Bound in HOCON (<see cref="Hocon"/>, repeated with comments in hocon/shared.conf).
/// Types are resolved through <see cref="EventTypeRegistrySetup"/> when the actor system was created with one, otherwise by
/// scanning the loaded assemblies and those named in <c>cuckoo.persistence.event-assemblies</c>.
/// </summary>
public sealed class PersistedEventSerializer : ManifestJsonSerializer<EventTypeRegistry>
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

    // Default, lenient options (the wire's are strict): the journal only holds rows this application wrote itself.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public PersistedEventSerializer(ExtendedActorSystem system)
        : base(system, RegistryOf(system), Json)
    {
    }

    public override int Identifier => SerializerId;

    protected override string PayloadNoun => "stored payload";

    protected override PersistenceSerializationException Failure(string message, Exception? inner = null) => new(message, inner);

    private static EventTypeRegistry RegistryOf(ExtendedActorSystem system)
    {
        var setup = system.Settings.Setup.Get<EventTypeRegistrySetup>();
        return setup.HasValue ? setup.Value.Registry : ScanningRegistry(system);
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
