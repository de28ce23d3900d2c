using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cuckoo.Cluster.Http;

/// <summary>Request reading that every HTTP surface of a node shares (enrolment, admin, gateway).</summary>
public static class HttpRequests
{
    /// <summary>The body, or null when it is over <paramref name="limit"/> bytes (read no further than that).</summary>
    /// <exception cref="BadHttpRequestException">the client sent a broken body.</exception>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit)
        {
            return null;
        }
        var buffer = new byte[Math.Min(limit + 1, (int?)request.ContentLength + 1 ?? limit + 1)];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return buffer[..read];
            }
            read += n;
        }
        return read > limit ? null : buffer[..read];
    }

    /// <summary>The token of exactly one <c>Authorization: Bearer TOKEN</c> header; false for none, several, another scheme or an empty token.</summary>
    public static bool TryBearer(StringValues header, out string token)
    {
        token = "";
        if (header.Count != 1 || header[0] is not { } value)
        {
            return false;
        }
        const string scheme = "Bearer ";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        token = value[scheme.Length..].Trim();
        return token.Length > 0;
    }
}
