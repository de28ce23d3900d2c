using System.Runtime.Serialization;

namespace Cuckoo.Persistence;

/// <summary>
/// An event or snapshot could not be turned into bytes or back. Derives from <see cref="SerializationException"/>,
/// which is what Akka.Persistence reports as a recovery or write failure.
/// </summary>
public class PersistenceSerializationException(string message, Exception? inner = null)
    : SerializationException(message, inner);

/// <summary>A stored manifest names no known type: replaying it would silently lose the event.</summary>
public sealed class UnknownManifestException(string manifest)
    : PersistenceSerializationException(
        $"No event type carries the stored manifest '{manifest}': mark the type with [EventManifest(\"{manifest}\")], " +
        "implement IPersistedEvent, and load its assembly (or list it in cuckoo.persistence.event-assemblies).")
{
    public string Manifest { get; } = manifest;
}
