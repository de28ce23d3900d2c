using Akka.Actor.Setup;
using Cuckoo.Persistence;

namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// Maps wire manifests to <see cref="IWireMessage"/> types and back. Either an explicit list (<see cref="FromTypes"/>: a
/// clash is refused at once) or every marked type in the loaded assemblies that reference Cuckoo.Cluster
/// (<see cref="ScanningLoadedAssemblies"/>: rescanned after another assembly loads). Only types found this way can be
/// read: a manifest is never turned into a type by name. Two scanned types claiming one manifest make it unusable, with
/// an error naming both. Thread-safe.
/// </summary>
public sealed class WireTypeRegistry : ManifestTypeRegistry<IWireMessage, WireManifestAttribute>
{
    private WireTypeRegistry(Func<IReadOnlyDictionary<string, Type[]>> lookup)
        : base(lookup)
    {
    }

    /// <summary>A registry of exactly these types.</summary>
    /// <exception cref="ArgumentException">A type lacks the attribute or the interface, or two types claim one manifest.</exception>
    public static WireTypeRegistry FromTypes(params IEnumerable<Type> types) => new(Listed(types, "Wire manifest"));

    /// <summary>Every wire message type in the assemblies loaded now or later.</summary>
    /// <remarks>Abstract types are left out: no payload can be read as one, so they never claim a manifest.</remarks>
    public static WireTypeRegistry ScanningLoadedAssemblies() => new(ScanningLoaded(skipAbstract: true));

    protected override WireSerializationException Unmarked(Type type) =>
        new($"{type.FullName} cannot cross the wire: mark it with [WireManifest(\"area.message-name.v1\")].");

    protected override UnknownWireManifestException Unknown(string manifest) => new(manifest);

    protected override WireSerializationException Ambiguous(string manifest, Type[] claimants) =>
        new($"Wire manifest '{manifest}' is claimed by several types ({string.Join(", ", claimants.Select(t => t.FullName))}): give each its own.");

    // Writing what this node could not read back would only move the failure to the receiver.
    protected override WireSerializationException RefuseUnreadable(Type type, string manifest) =>
        new($"{type.FullName} ('{manifest}') is not among this node's wire message types.");
}

/// <summary>Gives <see cref="WireMessageSerializer"/> a fixed registry instead of the assembly scan (pass it in the ActorSystemSetup).</summary>
public sealed class WireTypeRegistrySetup(WireTypeRegistry registry) : Setup
{
    public WireTypeRegistry Registry { get; } = registry;
}
