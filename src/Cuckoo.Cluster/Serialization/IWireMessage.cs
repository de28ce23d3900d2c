using Cuckoo.Persistence;

namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// Marks a message that crosses the wire between nodes. It is serialized by <see cref="WireMessageSerializer"/> as
/// System.Text.Json under the stable manifest of its <see cref="WireManifestAttribute"/>, never under its CLR name.
/// A message type that forgets this interface cannot be sent at all (<see cref="RefusingSerializer"/>).
/// </summary>
public interface IWireMessage;

/// <summary>
/// The stable, versioned name a wire message travels under, e.g. "cluster.allow-list.v1". Renaming or moving the type
/// keeps it compatible; changing its shape incompatibly takes a new manifest (".v2") beside the old type.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WireManifestAttribute(string manifest) : Attribute, IManifestAttribute
{
    /// <summary>The manifest written beside every payload of this type.</summary>
    public string Manifest { get; } = string.IsNullOrWhiteSpace(manifest)
        ? throw new ArgumentException("A wire manifest cannot be empty.", nameof(manifest))
        : manifest;
}
