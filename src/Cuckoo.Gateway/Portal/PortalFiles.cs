using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Cuckoo.Gateway.Portal;

/// <summary>The built page, served from one folder; nothing outside it is reachable, whatever the path says.</summary>
public sealed class PortalFiles
{
    private static readonly FileExtensionContentTypeProvider Types = new();

    // The bundle is all there is: no other origin, no inline script. The wallet's provider is injected by the extension, outside this policy.
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public PortalFiles(string? root) => Root = root is null ? null : Path.GetFullPath(root);

    /// <summary>Null when no built page was found.</summary>
    public string? Root { get; }

    /// <summary>The first of: <paramref name="configured"/>, CUCKOO_PORTAL_DIR, portal/dist above the executable, a portal folder beside it.</summary>
    public static string? Find(string? configured)
    {
        if (configured is not null)
        {
            return configured;
        }
        if (Environment.GetEnvironmentVariable("CUCKOO_PORTAL_DIR") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var dist = Path.Combine(dir.FullName, "portal", "dist");
            if (File.Exists(Path.Combine(dist, "index.html")))
            {
                return dist;
            }
        }
        var beside = Path.Combine(AppContext.BaseDirectory, "portal");
        return File.Exists(Path.Combine(beside, "index.html")) ? beside : null;
    }

    public IResult Serve(string? path, HttpContext http)
    {
        if (Root is null)
        {
            return GatewayProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Portal not built",
                "the portal's page was not found: run ./build.sh setup (it builds portal/dist), or set CUCKOO_PORTAL_DIR", "portal_not_built");
        }
        var relative = string.IsNullOrEmpty(path) ? "index.html" : path;
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            return GatewayProblems.Problem(StatusCodes.Status404NotFound, "Not found", $"the portal has no file {relative}", "not_found");
        }
        if (!Types.TryGetContentType(full, out var type))
        {
            type = "application/octet-stream";
        }
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // The page changes with each build and carries no hashes in its names: always revalidate.
        headers.CacheControl = "no-cache";
        return Results.File(full, type, enableRangeProcessing: false);
    }
}
