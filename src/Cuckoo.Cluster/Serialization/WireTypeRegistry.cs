using System.Collections.Concurrent;
using System.Reflection;
using Akka.Actor.Setup;

namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// Maps wire manifests to <see cref="IWireMessage"/> types and back. Either an explicit list (<see cref="FromTypes"/>: a
/// clash is refused at once) or every marked type in the loaded assemblies that reference Cuckoo.Cluster
/// (<see cref="ScanningLoadedAssemblies"/>: rescanned after another assembly loads). Only types found this way can be
/// read: a manifest is never turned into a type by name. Two scanned types claiming one manifest make it unusable, with
/// an error naming both. Thread-safe.
/// </summary>
public sealed class WireTypeRegistry
{
    private static readonly string OurAssemblyName = typeof(IWireMessage).Assembly.GetName().Name!;

    private readonly ConcurrentDictionary<Type, string> _manifests = new();
    private readonly Func<IReadOnlyDictionary<string, Type[]>> _lookup;

    private WireTypeRegistry(Func<IReadOnlyDictionary<string, Type[]>> lookup) => _lookup = lookup;

    /// <summary>A registry of exactly these types.</summary>
    /// <exception cref="ArgumentException">A type lacks the attribute or the interface, or two types claim one manifest.</exception>
    public static WireTypeRegistry FromTypes(params IEnumerable<Type> types)
    {
        var byManifest = new Dictionary<string, Type[]>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var manifest = AttributeOf(type)?.Manifest
                ?? throw new ArgumentException($"{type.FullName} has no [WireManifest] attribute.", nameof(types));
            if (!typeof(IWireMessage).IsAssignableFrom(type))
            {
                throw new ArgumentException($"{type.FullName} does not implement IWireMessage.", nameof(types));
            }

            if (byManifest.TryGetValue(manifest, out var existing) && existing[0] != type)
            {
                throw new ArgumentException($"Wire manifest '{manifest}' is claimed by both {existing[0].FullName} and {type.FullName}.", nameof(types));
            }

            byManifest[manifest] = [type];
        }

        return new WireTypeRegistry(() => byManifest);
    }

    /// <summary>Every wire message type in the assemblies loaded now or later.</summary>
    public static WireTypeRegistry ScanningLoadedAssemblies() => new(new LoadedAssemblyScan().Current);

    /// <summary>The manifest values of <paramref name="type"/> travel under.</summary>
    /// <exception cref="WireSerializationException">The type has no manifest, or shares it with another type.</exception>
    public string ManifestOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (_manifests.TryGetValue(type, out var known))
        {
            return known;
        }

        var manifest = AttributeOf(type)?.Manifest
            ?? throw new WireSerializationException(
                $"{type.FullName} cannot cross the wire: mark it with [WireManifest(\"area.message-name.v1\")].");
        if (!_lookup().TryGetValue(manifest, out var claimants) || !claimants.Contains(type))
        {
            // Writing what this node could not read back would only move the failure to the receiver.
            throw new WireSerializationException($"{type.FullName} ('{manifest}') is not among this node's wire message types.");
        }

        if (claimants.Length > 1)
        {
            throw Ambiguous(manifest, claimants);
        }

        return _manifests.GetOrAdd(type, manifest);
    }

    /// <summary>The type a received manifest is read as.</summary>
    /// <exception cref="UnknownWireManifestException">No type carries the manifest.</exception>
    /// <exception cref="WireSerializationException">Several types carry it.</exception>
    public Type TypeOf(string manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!_lookup().TryGetValue(manifest, out var claimants))
        {
            throw new UnknownWireManifestException(manifest);
        }

        return claimants.Length == 1 ? claimants[0] : throw Ambiguous(manifest, claimants);
    }

    private static WireSerializationException Ambiguous(string manifest, Type[] claimants) =>
        new($"Wire manifest '{manifest}' is claimed by several types ({string.Join(", ", claimants.Select(t => t.FullName))}): give each its own.");

    private static WireManifestAttribute? AttributeOf(Type type) => type.GetCustomAttribute<WireManifestAttribute>(inherit: false);

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
                if (type is { IsAbstract: false } && typeof(IWireMessage).IsAssignableFrom(type) && AttributeOf(type) is { } attribute)
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

/// <summary>Gives <see cref="WireMessageSerializer"/> a fixed registry instead of the assembly scan (pass it in the ActorSystemSetup).</summary>
public sealed class WireTypeRegistrySetup(WireTypeRegistry registry) : Setup
{
    public WireTypeRegistry Registry { get; } = registry;
}
