namespace Cuckoo.Persistence;

/// <summary>
/// Names an event or snapshot type by a stable manifest (for example <c>scheduler.task-accepted.v1</c>).
/// The manifest, never the CLR type name, is what the journal stores, so a type can be renamed or moved
/// freely; a changed shape gets a new manifest version instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class EventManifestAttribute : Attribute, IManifestAttribute
{
    /// <summary>Longest manifest accepted; the journal's manifest column must hold it.</summary>
    public const int MaxLength = 200;

    public EventManifestAttribute(string manifest)
    {
        Manifest = Validate(manifest);
    }

    public string Manifest { get; }

    /// <summary>Returns <paramref name="manifest"/> or throws <see cref="ArgumentException"/> when it cannot be stored and read back.</summary>
    public static string Validate(string manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest) || manifest.Length > MaxLength || manifest.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException(
                $"A manifest must be 1-{MaxLength} characters without whitespace, e.g. 'scheduler.task-accepted.v1'; got '{manifest}'.",
                nameof(manifest));
        }

        return manifest;
    }
}
