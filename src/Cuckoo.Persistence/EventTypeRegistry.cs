using System.Reflection;

namespace Cuckoo.Persistence;

/// <summary>
/// Maps stable manifests to event types and back. Build one from an explicit list (<see cref="FromTypes"/>: a clash
/// is refused at once) or let it find every <see cref="IPersistedEvent"/> type carrying <see cref="EventManifestAttribute"/>
/// in the loaded assemblies (<see cref="ScanningLoadedAssemblies"/>: rescanned when new assemblies load, so an event
/// type in an assembly loaded late is still found). Two scanned types claiming one manifest make that manifest unusable
/// in both directions, with an error naming both, rather than picking one silently. Thread-safe.
/// </summary>
public sealed class EventTypeRegistry : ManifestTypeRegistry<IPersistedEvent, EventManifestAttribute>
{
    // Abstract event types stay in the scan, as before the registries shared code: a [JsonPolymorphic] base can be read.
    private const bool SkipAbstract = false;

    private EventTypeRegistry(Func<IReadOnlyDictionary<string, Type[]>> lookup)
        : base(lookup)
    {
    }

    /// <summary>
    /// A registry of exactly these types. Throws <see cref="ArgumentException"/> when a type lacks
    /// <see cref="EventManifestAttribute"/> or <see cref="IPersistedEvent"/>, or two types claim one manifest.
    /// </summary>
    public static EventTypeRegistry FromTypes(params IEnumerable<Type> types) => new(Listed(types, "Manifest"));

    /// <summary>The types in these assemblies, as a scan finds them (clashes are reported on use, see the class summary).</summary>
    public static EventTypeRegistry FromAssemblies(params IEnumerable<Assembly> assemblies) => new(Scanned(assemblies, SkipAbstract));

    /// <summary>Every event type in the assemblies loaded now or later that reference Cuckoo.Persistence.</summary>
    public static EventTypeRegistry ScanningLoadedAssemblies() => new(ScanningLoaded(SkipAbstract));

    protected override PersistenceSerializationException Unmarked(Type type) =>
        new($"{type.FullName} cannot be persisted: mark it with [EventManifest(\"area.event-name.v1\")].");

    protected override UnknownManifestException Unknown(string manifest) => new(manifest);

    protected override PersistenceSerializationException Ambiguous(string manifest, Type[] claimants) =>
        new($"Manifest '{manifest}' is claimed by several types ({string.Join(", ", claimants.Select(t => t.FullName))}): " +
            "give each its own manifest.");
}
