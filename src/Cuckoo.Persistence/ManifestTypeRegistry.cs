using System.Collections.Concurrent;
using System.Reflection;

namespace Cuckoo.Persistence;

/// <summary>An attribute that names its type by a stable manifest (<see cref="EventManifestAttribute"/>, Cuckoo.Cluster's WireManifestAttribute).</summary>
public interface IManifestAttribute
{
    string Manifest { get; }
}

/// <summary>Manifest-to-type lookups, as <see cref="ManifestJsonSerializer{TRegistry}"/> uses them.</summary>
public interface IManifestTypeRegistry
{
    /// <summary>The manifest a value of <paramref name="type"/> is written under.</summary>
    string ManifestOf(Type type);

    /// <summary>The type a written manifest is read back as.</summary>
    Type TypeOf(string manifest);
}

/// <summary>
/// What <see cref="EventTypeRegistry"/> and Cuckoo.Cluster's WireTypeRegistry share: maps the manifests of
/// <typeparamref name="TAttribute"/> to <typeparamref name="TMarker"/> types and back, built from an explicit list (a clash
/// is refused at once) or a scan of the assemblies that reference the marker's assembly (a manifest that several scanned
/// types claim is unusable in both directions, with an error naming them all). Subclasses give the sentences and the
/// exception types. Thread-safe.
/// </summary>
public abstract class ManifestTypeRegistry<TMarker, TAttribute> : IManifestTypeRegistry
    where TAttribute : Attribute, IManifestAttribute
{
    private static readonly string MarkerAssemblyName = typeof(TMarker).Assembly.GetName().Name!;

    private readonly ConcurrentDictionary<Type, string> _manifests = new();
    private readonly Func<IReadOnlyDictionary<string, Type[]>> _lookup;

    protected ManifestTypeRegistry(Func<IReadOnlyDictionary<string, Type[]>> lookup) => _lookup = lookup;

    /// <inheritdoc />
    /// <exception cref="System.Runtime.Serialization.SerializationException">The type has no manifest, shares it with another type, or (where the subclass refuses it) cannot be read back here.</exception>
    public string ManifestOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (_manifests.TryGetValue(type, out var known))
        {
            return known;
        }

        var manifest = AttributeOf(type)?.Manifest ?? throw Unmarked(type);
        var listed = _lookup().TryGetValue(manifest, out var claimants);
        if ((!listed || !claimants!.Contains(type)) && RefuseUnreadable(type, manifest) is { } refused)
        {
            throw refused;
        }

        if (listed && claimants!.Length > 1)
        {
            throw Ambiguous(manifest, claimants);
        }

        return _manifests.GetOrAdd(type, manifest);
    }

    /// <inheritdoc />
    /// <exception cref="System.Runtime.Serialization.SerializationException">No type carries the manifest (the subclass's unknown-manifest exception), or several do.</exception>
    public Type TypeOf(string manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!_lookup().TryGetValue(manifest, out var claimants))
        {
            throw Unknown(manifest);
        }

        return claimants.Length == 1 ? claimants[0] : throw Ambiguous(manifest, claimants);
    }

    /// <summary>Writing a type that carries no manifest.</summary>
    protected abstract Exception Unmarked(Type type);

    /// <summary>Reading a manifest that no type here carries.</summary>
    protected abstract Exception Unknown(string manifest);

    /// <summary>Either direction, for a manifest several types claim.</summary>
    protected abstract Exception Ambiguous(string manifest, Type[] claimants);

    /// <summary>Writing a marked type this registry does not list; null writes it anyway (the reader may know it).</summary>
    protected virtual Exception? RefuseUnreadable(Type type, string manifest) => null;

    /// <summary>Exactly these types. <paramref name="noun"/> opens the clash sentence ("Manifest", "Wire manifest").</summary>
    /// <exception cref="ArgumentException">A type lacks the attribute or the marker, or two types claim one manifest.</exception>
    protected static Func<IReadOnlyDictionary<string, Type[]>> Listed(IEnumerable<Type> types, string noun)
    {
        var byManifest = new Dictionary<string, Type[]>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var manifest = AttributeOf(type)?.Manifest
                ?? throw new ArgumentException($"{type.FullName} has no [{typeof(TAttribute).Name[..^"Attribute".Length]}] attribute.", nameof(types));
            if (!typeof(TMarker).IsAssignableFrom(type))
            {
                throw new ArgumentException($"{type.FullName} does not implement {typeof(TMarker).Name}.", nameof(types));
            }

            if (byManifest.TryGetValue(manifest, out var existing) && existing[0] != type)
            {
                throw new ArgumentException($"{noun} '{manifest}' is claimed by both {existing[0].FullName} and {type.FullName}.", nameof(types));
            }

            byManifest[manifest] = [type];
        }

        return () => byManifest;
    }

    /// <summary>The types in these assemblies, scanned once.</summary>
    protected static Func<IReadOnlyDictionary<string, Type[]>> Scanned(IEnumerable<Assembly> assemblies, bool skipAbstract)
    {
        var found = Scan(assemblies, skipAbstract);
        return () => found;
    }

    /// <summary>The types in the assemblies loaded now or later: the AppDomain is scanned again only after another assembly loads.</summary>
    protected static Func<IReadOnlyDictionary<string, Type[]>> ScanningLoaded(bool skipAbstract) => new LoadedAssemblyScan(skipAbstract).Current;

    private static TAttribute? AttributeOf(Type type) => type.GetCustomAttribute<TAttribute>(inherit: false);

    private static Dictionary<string, Type[]> Scan(IEnumerable<Assembly> assemblies, bool skipAbstract)
    {
        var found = new Dictionary<string, List<Type>>(StringComparer.Ordinal);
        foreach (var assembly in assemblies.Distinct())
        {
            // Only an assembly that references the marker's can carry the attribute; skipping the rest keeps the scan cheap.
            if (assembly.IsDynamic
                || (assembly.GetName().Name != MarkerAssemblyName
                    && !assembly.GetReferencedAssemblies().Any(a => a.Name == MarkerAssemblyName)))
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
                if (type is not null && !(skipAbstract && type.IsAbstract)
                    && typeof(TMarker).IsAssignableFrom(type) && AttributeOf(type) is { } attribute)
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

    private sealed class LoadedAssemblyScan
    {
        private readonly object _gate = new();
        private readonly bool _skipAbstract;
        private volatile IReadOnlyDictionary<string, Type[]>? _current;

        public LoadedAssemblyScan(bool skipAbstract)
        {
            _skipAbstract = skipAbstract;
            AppDomain.CurrentDomain.AssemblyLoad += (_, _) => _current = null;
        }

        public IReadOnlyDictionary<string, Type[]> Current()
        {
            if (_current is { } current)
            {
                return current;
            }

            lock (_gate)
            {
                return _current ??= Scan(AppDomain.CurrentDomain.GetAssemblies(), _skipAbstract);
            }
        }
    }
}
