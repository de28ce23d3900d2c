namespace Cuckoo.Persistence;

/// <summary>
/// Names an event or snapshot type by a stable manifest (for example <c>scheduler.task-accepted.v1</c>).
/// The manifest, never the CLR type name, is what the journal stores, so a type can be renamed or moved
/// freely; a changed shape gets a new manifest version instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class EventManifestAttribute : Attribute
{
    public EventManifestAttribute(string manifest)
    {
        Manifest = EventRegistry.ValidateManifest(manifest);
    }

    public string Manifest { get; }
}
