using System.Runtime.Serialization;

namespace Cuckoo.Cluster.Serialization;

/// <summary>
/// A wire message could not be written or read. Derives from Akka's expected <see cref="SerializationException"/>, so
/// that the remoting layer drops the one message and keeps the association.
/// </summary>
public class WireSerializationException(string message, Exception? inner = null) : SerializationException(message, inner);

/// <summary>A payload named a manifest that no <see cref="IWireMessage"/> type here carries.</summary>
public sealed class UnknownWireManifestException(string manifest)
    : WireSerializationException($"No wire message type has the manifest '{WireText.Shorten(manifest)}': the sender runs another protocol version, or forged it.")
{
    /// <summary>The manifest as received (possibly long or hostile: shorten before logging).</summary>
    public string Manifest { get; } = manifest;
}

internal static class WireText
{
    /// <summary>Peer-supplied text, cut and stripped of control characters before it reaches a log line.</summary>
    public static string Shorten(string? text, int max = 120)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var cut = text.Length > max ? text[..max] + "…" : text;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
