namespace Cuckoo.Persistence;

/// <summary>
/// Marks an event or snapshot type that a persistent actor stores. HOCON binds this interface to
/// <see cref="PersistedEventSerializer"/> (<c>akka.actor.serialization-bindings</c>), so every implementer is written
/// as System.Text.Json under the manifest of its <see cref="EventManifestAttribute"/>, never under its CLR name.
/// </summary>
public interface IPersistedEvent;
