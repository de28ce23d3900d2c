namespace Cuckoo.Cluster.Enrolment;

/// <summary>The shape checks of an <see cref="EnrolmentRequest"/>: everything that needs neither the challenge store, a signature recovery nor the chain.</summary>
internal static class EnrolmentRequestRules
{
    /// <summary>Null when well formed, else one sentence saying what is wrong.</summary>
    public static string? Problem(EnrolmentRequest? request, EnrolmentOptions options)
    {
        if (request is null)
        {
            return "The body must be an enrolment request object.";
        }
        if (!IsHex(request.Nonce, prefix: true, digits: 64, lowercaseOnly: false))
        {
            return "nonce must be 0x and 64 hex digits, as issued by POST challenges.";
        }
        if (request.Miner.IsZero)
        {
            return "miner must be a non-zero address.";
        }
        if (!IsHex(request.CertificateThumbprint, prefix: false, digits: 64, lowercaseOnly: true))
        {
            return "certificateThumbprint must be 64 lowercase hex digits (SHA-256 of the certificate's DER).";
        }
        if (request.Models is null || request.Models.Count == 0)
        {
            return "models must list at least one model id.";
        }
        if (request.Models.Count > options.MaxModels)
        {
            return $"models lists {request.Models.Count} model ids; at most {options.MaxModels} are allowed.";
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in request.Models)
        {
            if (string.IsNullOrWhiteSpace(model) || model.Length > options.MaxModelIdLength || model.Any(char.IsControl))
            {
                return $"Each model id must be 1 to {options.MaxModelIdLength} printable characters.";
            }
            if (!seen.Add(model))
            {
                return $"models lists '{model}' twice.";
            }
        }
        if (request.Capacity < 1 || request.Capacity > options.MaxCapacity)
        {
            return $"capacity must be between 1 and {options.MaxCapacity}.";
        }
        if (string.IsNullOrEmpty(request.SoftwareVersion) || request.SoftwareVersion.Length > options.MaxSoftwareVersionLength
            || !SemanticVersion.TryParse(request.SoftwareVersion, out _))
        {
            return $"softwareVersion must be a semantic version (major.minor.patch) of at most {options.MaxSoftwareVersionLength} characters.";
        }
        if (!IsNodeAddress(request.NodeAddress))
        {
            return "nodeAddress must be the host:port the miner's cluster node listens at (a host name or IP address, port 1-65535).";
        }
        if (request.Provider is not ("cpu" or "cuda"))
        {
            return "provider must be 'cpu' or 'cuda'.";
        }
        if (!IsHex(request.Signature, prefix: true, digits: 130, lowercaseOnly: false))
        {
            return "signature must be 0x and 130 hex digits (65 bytes r, s, v).";
        }
        return null;
    }

    /// <summary>Same major version as the minimum and not below it.</summary>
    public static bool Compatible(string version, SemanticVersion minimum) =>
        SemanticVersion.TryParse(version, out var v) && v.Major == minimum.Major && v >= minimum;

    private static bool IsNodeAddress(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 253 + 6)
        {
            return false;
        }
        var colon = text.LastIndexOf(':');
        return colon > 0
            && int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535
            && Uri.CheckHostName(text[..colon]) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }

    private static bool IsHex(string? text, bool prefix, int digits, bool lowercaseOnly)
    {
        if (text is null || text.Length != digits + (prefix ? 2 : 0) || (prefix && !text.StartsWith("0x", StringComparison.Ordinal)))
        {
            return false;
        }
        return !text.AsSpan(prefix ? 2 : 0).ContainsAnyExcept(lowercaseOnly ? "0123456789abcdef" : "0123456789abcdefABCDEF");
    }
}
