using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Cuckoo.Cluster.Transport;

/// <summary>
/// The certificates allowed to open a TLS connection to this node, or to be connected to: the pinned ones (the other
/// coordinators, from configuration; always allowed) and the admitted ones (miners that enrolled; added and revoked at
/// run time). Thumbprints are <see cref="NodeCertificate.ThumbprintOf"/> values. Reads take no lock (DotNetty's threads
/// call <see cref="IsAllowed"/> at every handshake); writes replace an immutable snapshot.
/// </summary>
public sealed class PeerAllowList
{
    private readonly FrozenSet<string> _pinned;
    private readonly object _writeGate = new();
    private volatile ImmutableDictionary<string, string> _admitted = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);
    private long _refusals;

    /// <param name="pinned">Thumbprints that are always allowed and cannot be revoked.</param>
    /// <exception cref="ArgumentException">A thumbprint is not 64 hex characters.</exception>
    public PeerAllowList(IEnumerable<string>? pinned = null) =>
        _pinned = (pinned ?? []).Select(Normalize).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Thumbprints admitted at run time, each with the label it was admitted under (e.g. the miner's address).</summary>
    public IReadOnlyDictionary<string, string> Admitted => _admitted;

    /// <summary>Thumbprints from configuration, always allowed.</summary>
    public IReadOnlyCollection<string> Pinned => _pinned;

    /// <summary>Handshakes refused so far because the peer's certificate was not allowed.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>Whether a peer presenting this certificate thumbprint may connect. False for anything malformed.</summary>
    public bool IsAllowed(string thumbprint)
    {
        if (!TryNormalize(thumbprint, out var key))
        {
            return false;
        }

        return _pinned.Contains(key) || _admitted.ContainsKey(key);
    }

    /// <summary>Admits a thumbprint (again, with a new label, if it was already admitted).</summary>
    /// <exception cref="ArgumentException">The thumbprint is not 64 hex characters.</exception>
    public void Allow(string thumbprint, string label)
    {
        var key = Normalize(thumbprint);
        ArgumentNullException.ThrowIfNull(label);
        lock (_writeGate)
        {
            _admitted = _admitted.SetItem(key, label);
        }
    }

    /// <summary>
    /// Removes an admitted thumbprint, so that new connections with it are refused (live associations are not cut here).
    /// False when it was not admitted; pinned thumbprints cannot be revoked.
    /// </summary>
    public bool Revoke(string thumbprint)
    {
        if (!TryNormalize(thumbprint, out var key))
        {
            return false;
        }

        lock (_writeGate)
        {
            var before = _admitted;
            _admitted = before.Remove(key);
            return !ReferenceEquals(before, _admitted);
        }
    }

    /// <summary>Replaces every admitted thumbprint at once (e.g. from the enrolment store after a restart).</summary>
    /// <exception cref="ArgumentException">A thumbprint is not 64 hex characters; nothing is replaced then.</exception>
    public void ReplaceAdmitted(IEnumerable<KeyValuePair<string, string>> thumbprintToLabel)
    {
        ArgumentNullException.ThrowIfNull(thumbprintToLabel);
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (thumbprint, label) in thumbprintToLabel)
        {
            builder[Normalize(thumbprint)] = label ?? string.Empty;
        }

        lock (_writeGate)
        {
            _admitted = builder.ToImmutable();
        }
    }

    /// <summary>The label a thumbprint was admitted under, "pinned" for a pinned one, or null.</summary>
    public string? LabelOf(string thumbprint) =>
        !TryNormalize(thumbprint, out var key) ? null
        : _pinned.Contains(key) ? "pinned"
        : _admitted.GetValueOrDefault(key);

    internal void RecordRefusal() => Interlocked.Increment(ref _refusals);

    /// <summary>Lowercase, without the colons or spaces some tools print between bytes.</summary>
    public static bool TryNormalize(string? thumbprint, out string normalized)
    {
        normalized = string.Empty;
        if (thumbprint is null)
        {
            return false;
        }

        var compact = thumbprint.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (compact.Length != 64 || !compact.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        normalized = compact.ToLowerInvariant();
        return true;
    }

    private static string Normalize(string thumbprint) =>
        TryNormalize(thumbprint, out var key)
            ? key
            : throw new ArgumentException($"'{thumbprint}' is not a certificate thumbprint: expected 64 hex characters (SHA-256).", nameof(thumbprint));
}
