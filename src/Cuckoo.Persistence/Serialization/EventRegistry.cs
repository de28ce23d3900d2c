using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Cuckoo.Persistence;

/// <summary>
/// Maps stable manifests to types and back, and turns payloads into JSON bytes. Types marked with
/// <see cref="EventManifestAttribute"/> in loaded assemblies are found on first use; explicit registrations
/// take precedence, which is how an old manifest is pointed at a renamed or replacement type.
/// Thread-safe.
/// </summary>
public sealed class EventRegistry
{
    private readonly ConcurrentDictionary<string, Type> _explicitTypes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> _manifests = new();
    private readonly JsonSerializerOptions _json;
    private readonly bool _scanLoadedAssemblies;
    private readonly object _scanLock = new();
    private Dictionary<string, List<Type>> _scanned = new(StringComparer.Ordinal);
    private int _scannedAssemblyCount = -1;

    /// <param name="json">Serializer options; the defaults of System.Text.Json when null.</param>
    /// <param name="scanLoadedAssemblies">Find <see cref="EventManifestAttribute"/> types in loaded assemblies
    /// when a manifest is not registered explicitly (default true).</param>
    public EventRegistry(JsonSerializerOptions? json = null, bool scanLoadedAssemblies = true)
    {
        _json = json ?? new JsonSerializerOptions();
        _scanLoadedAssemblies = scanLoadedAssemblies;
    }

    /// <summary>Registers <typeparamref name="T"/> under the manifest of its <see cref="EventManifestAttribute"/>.</summary>
    public EventRegistry Register<T>() => Register(typeof(T));

    /// <summary>Registers a type under the manifest of its <see cref="EventManifestAttribute"/>.</summary>
    public EventRegistry Register(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var attribute = type.GetCustomAttribute<EventManifestAttribute>()
            ?? throw new ArgumentException($"Type {type.FullName} has no [EventManifest] attribute.", nameof(type));
        return Register(type, attribute.Manifest);
    }

    /// <summary>
    /// Registers a type under an explicit manifest: the manifest it is written under if it has no attribute, or an
    /// extra manifest it is read from (for example an older one kept readable by its replacement type).
    /// </summary>
    public EventRegistry Register(Type type, string manifest)
    {
        ArgumentNullException.ThrowIfNull(type);
        ValidateManifest(manifest);
        var existing = _explicitTypes.GetOrAdd(manifest, type);
        if (existing != type)
        {
            throw new ArgumentException(
                $"Manifest '{manifest}' is already registered for {existing.FullName}; cannot also map it to {type.FullName}.",
                nameof(manifest));
        }

        // Writes keep using the attribute's manifest: an explicit one for an attributed type only adds a name to read.
        if (type.GetCustomAttribute<EventManifestAttribute>() is null)
        {
            _manifests.TryAdd(type, manifest);
        }

        return this;
    }

    /// <summary>The manifest a payload of this type is stored under.</summary>
    /// <exception cref="PersistenceSerializationException">The type has no manifest.</exception>
    public string ManifestOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (_manifests.TryGetValue(type, out var manifest))
        {
            return manifest;
        }

        var attribute = type.GetCustomAttribute<EventManifestAttribute>()
            ?? throw new PersistenceSerializationException(
                $"Type {type.FullName} cannot be persisted: mark it with [EventManifest(\"area.event-name.v1\")] " +
                "or register it with an explicit manifest.");
        return _manifests.GetOrAdd(type, attribute.Manifest);
    }

    /// <summary>The type a stored manifest is read back as.</summary>
    /// <exception cref="UnknownManifestException">No type carries the manifest.</exception>
    public Type TypeOf(string manifest)
    {
        if (_explicitTypes.TryGetValue(manifest, out var type))
        {
            return type;
        }

        if (_scanLoadedAssemblies)
        {
            var candidates = Scan(manifest);
            if (candidates is { Count: 1 })
            {
                return candidates[0];
            }

            if (candidates is { Count: > 1 })
            {
                throw new PersistenceSerializationException(
                    $"Manifest '{manifest}' is carried by several types ({string.Join(", ", candidates.Select(t => t.FullName))}); " +
                    "register the one to read it as with EventRegistry.Register(type, manifest).");
            }
        }

        throw new UnknownManifestException(manifest);
    }

    /// <summary>Serializes a payload; returns its manifest and JSON bytes.</summary>
    public (string Manifest, byte[] Bytes) Serialize(object payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var type = payload.GetType();
        var manifest = ManifestOf(type);
        try
        {
            return (manifest, JsonSerializer.SerializeToUtf8Bytes(payload, type, _json));
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new PersistenceSerializationException($"Could not serialize {type.FullName} ('{manifest}'): {e.Message}", e);
        }
    }

    /// <summary>Reads a payload stored under <paramref name="manifest"/>.</summary>
    /// <exception cref="UnknownManifestException">No type carries the manifest.</exception>
    /// <exception cref="PersistenceSerializationException">The bytes do not fit the type.</exception>
    public object Deserialize(string manifest, ReadOnlySpan<byte> bytes)
    {
        var type = TypeOf(manifest);
        try
        {
            return JsonSerializer.Deserialize(bytes, type, _json)
                ?? throw new PersistenceSerializationException($"Stored payload for '{manifest}' is JSON null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new PersistenceSerializationException(
                $"Stored payload for '{manifest}' could not be read as {type.FullName}: {e.Message}", e);
        }
    }

    internal static string ValidateManifest(string manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest) || manifest.Length > 200 || manifest.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException(
                $"A manifest must be 1-200 characters without whitespace, e.g. 'scheduler.task-accepted.v1'; got '{manifest}'.",
                nameof(manifest));
        }

        return manifest;
    }

    private List<Type>? Scan(string manifest)
    {
        lock (_scanLock)
        {
            var assemblies = AppDomain.CurrentDomain.GetAssemblies();
            if (assemblies.Length != _scannedAssemblyCount)
            {
                _scanned = ScanAssemblies(assemblies);
                _scannedAssemblyCount = assemblies.Length;
            }

            return _scanned.GetValueOrDefault(manifest);
        }
    }

    private static Dictionary<string, List<Type>> ScanAssemblies(Assembly[] assemblies)
    {
        var ours = typeof(EventManifestAttribute).Assembly;
        var ourName = ours.GetName().Name;
        var found = new Dictionary<string, List<Type>>(StringComparer.Ordinal);
        foreach (var assembly in assemblies)
        {
            // Only assemblies that can see the attribute can carry it; skipping the rest keeps the scan cheap.
            if (assembly.IsDynamic
                || (assembly != ours && !assembly.GetReferencedAssemblies().Any(a => a.Name == ourName)))
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
                if (type?.GetCustomAttribute<EventManifestAttribute>() is { } attribute)
                {
                    if (!found.TryGetValue(attribute.Manifest, out var list))
                    {
                        found[attribute.Manifest] = list = [];
                    }

                    list.Add(type);
                }
            }
        }

        return found;
    }
}
