namespace Cuckoo.Persistence;

/// <summary>An event or snapshot could not be turned into bytes or back.</summary>
public class PersistenceSerializationException : Exception
{
    public PersistenceSerializationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A stored manifest names no known type: replaying it would silently lose the event.</summary>
public sealed class UnknownManifestException : PersistenceSerializationException
{
    public UnknownManifestException(string manifest)
        : base($"No type is registered for the stored manifest '{manifest}'. Mark the event type with " +
               $"[EventManifest(\"{manifest}\")] in an assembly that is loaded, or register it with " +
               "EventRegistry.Register.")
    {
        Manifest = manifest;
    }

    public string Manifest { get; }
}
