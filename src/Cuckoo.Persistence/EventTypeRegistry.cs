using System.Collections.Concurrent;
using System.Reflection;

namespace Cuckoo.Persistence;

/// <summary>
/// Maps stable manifests to event types and back. Build one from an explicit list (<see cref="FromTypes"/>: a clash
/// is refused at once) or let it find every <see cref="IPersistedEvent"/> type carrying <see cref="EventManifestAttribute"/>
/// in the loaded assemblies (<see cref="ScanningLoadedAssemblies"/>: rescanned when new assemblies load, so an event
/// type in an assembly loaded late is still found). Two scanned types claiming one manifest make that manifest unusable
/// in both directions, with an error naming both, rather than picking one silently. Thread-safe.
/// </summary>
public sealed class EventTypeRegistry
{
    private static readonly string OurAssemblyName = typeof(IPersistedEvent).Assembly.GetName().Name!;

    private readonly ConcurrentDictionary<Type, string> _manifests = new();
    private readonly Func<IReadOnlyDictionary<string, Type[]>> _lookup;

    private EventTypeRegistry(Func<IReadOnlyDictionary<string, Type[]>> lookup) => _lookup = lookup;

    /// <summary>
    /// A registry of exactly these types. Throws <see cref="ArgumentException"/> when a type lacks
    /// <see cref="EventManifestAttribute"/> or <see cref="IPersistedEvent"/>, or two types claim one manifest.
    /// </summary>
    public static EventTypeRegistry FromTypes(params IEnumerable<Type> types)
    {
        var byManifest = new Dictionary<string, Type[]>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var manifest = AttributeOf(type)?.Manifest
                ?? throw new ArgumentException($"{type.FullName} has no [EventManifest] attribute.", nameof(types));
            if (!typeof(IPersistedEvent).IsAssignableFrom(type))
            {
                throw new ArgumentException($"{type.FullName} does not implement IPersistedEvent.", nameof(types));
            }

            if (byManifest.TryGetValue(manifest, out var existing) && existing[0] != type)
            {
                throw new ArgumentException(
                    $"Manifest '{manifest}' is claimed by both {existing[0].FullName} and {type.FullName}.", nameof(types));
            }

            byManifest[manifest] = [type];
        }

        return new EventTypeRegistry(() => byManifest);
    }

    /// <summary>The types in these assemblies, as a scan finds them (clashes are reported on use, see the class summary).</summary>
    public static EventTypeRegistry FromAssemblies(params IEnumerable<Assembly> assemblies)
    {
        var found = Scan(assemblies);
        return new EventTypeRegistry(() => found);
    }

    /// <summary>Every event type in the assemblies loaded now or later that reference Cuckoo.Persistence.</summary>
    public static EventTypeRegistry ScanningLoadedAssemblies()
    {
        var cache = new LoadedAssemblyScan();
        return new EventTypeRegistry(cache.Current);
    }

    /// <summary>The manifest a value of <paramref name="type"/> is stored under.</summary>
    /// <exception cref="PersistenceSerializationException">The type has no manifest, or shares it with another type.</exception>
    public string ManifestOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (_manifests.TryGetValue(type, out var known))
        {
            return known;
        }

        var manifest = AttributeOf(type)?.Manifest
            ?? throw new PersistenceSerializationException(
                $"{type.FullName} cannot be persisted: mark it with [EventManifest(\"area.event-name.v1\")].");
        if (_lookup().TryGetValue(manifest, out var claimants) && claimants.Length > 1)
        {
            throw Ambiguous(manifest, claimants);
        }

        return _manifests.GetOrAdd(type, manifest);
    }

    /// <summary>The type a stored manifest is read back as.</summary>
    /// <exception cref="UnknownManifestException">No type carries the manifest.</exception>
    /// <exception cref="PersistenceSerializationException">Several types carry it.</exception>
    public Type TypeOf(string manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!_lookup().TryGetValue(manifest, out var claimants))
        {
            throw new UnknownManifestException(manifest);
        }

        return claimants.Length == 1 ? claimants[0] : throw Ambiguous(manifest, claimants);
    }

    private static PersistenceSerializationException Ambiguous(string manifest, Type[] claimants) =>
        new($"Manifest '{manifest}' is claimed by several types ({string.Join(", ", claimants.Select(t => t.FullName))}): " +
            "give each its own manifest.");

    private static EventManifestAttribute? AttributeOf(Type type) => type.GetCustomAttribute<EventManifestAttribute>(inherit: false);

    private static Dictionary<string, Type[]> Scan(IEnumerable<Assembly> assemblies)
    {
        var found = new Dictionary<string, List<Type>>(StringComparer.Ordinal);
        foreach (var assembly in assemblies.Distinct())
        {
            // Only an assembly that references ours can carry the attribute; skipping the rest keeps the scan cheap.
            if (assembly.IsDynamic
                || (assembly.GetName().Name != OurAssemblyName
                    && !assembly.GetReferencedAssemblies().Any(a => a.Name == OurAssemblyName)))
            {
                continue;
            }

            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types;
            }

            foreach (var type in types)
            {
                if (type is not null && typeof(IPersistedEvent).IsAssignableFrom(type) && AttributeOf(type) is { } attribute)
                {
                    if (!found.TryGetValue(attribute.Manifest, out var list))
                    {
                        found[attribute.Manifest] = list = [];
                    }

                    list.Add(type);
                }
            }
        }

        return found.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Scans the AppDomain once, and again only after another assembly has loaded.</summary>
    private sealed class LoadedAssemblyScan
    {
        private readonly object _gate = new();
        private volatile IReadOnlyDictionary<string, Type[]>? _current;

        public LoadedAssemblyScan() => AppDomain.CurrentDomain.AssemblyLoad += (_, _) => _current = null;

        public IReadOnlyDictionary<string, Type[]> Current()
        {
            if (_current is { } current)
            {
                return current;
            }

            lock (_gate)
            {
                return _current ??= Scan(AppDomain.CurrentDomain.GetAssemblies());
            }
        }
    }
}
