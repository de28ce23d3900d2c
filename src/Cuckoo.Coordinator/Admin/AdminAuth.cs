using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Cuckoo.Cluster.Http;

namespace Cuckoo.Coordinator.Admin;

/// <summary>
/// The admin group's gate: a bearer token compared in constant time, and every failure answered as RFC 9457 problem
/// details without internals (a stack trace would tell a caller more than the admin wants).
/// </summary>
internal static class AdminAuth
{
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var options = services.GetService<AdminOptions>() ?? services.GetService<IOptions<AdminOptions>>()?.Value;
        if (string.IsNullOrEmpty(options?.Token))
        {
            Logger(services).LogWarning("Admin request {Method} {Path} refused: no admin token is configured", http.Request.Method, http.Request.Path);
            return Unauthorized(http);
        }
        if (!HttpRequests.TryBearer(http.Request.Headers.Authorization, out var presented) || !SameToken(presented, options.Token))
        {
            return Unauthorized(http);
        }
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception ex)
        {
            Logger(services).LogError(ex, "Admin request {Method} {Path} failed", http.Request.Method, http.Request.Path);
            if (http.Response.HasStarted)
            {
                // A stream already under way cannot turn into a problem response; cutting it tells the client.
                http.Abort();
                return Results.Empty;
            }
            return Problem(StatusCodes.Status500InternalServerError, "Internal error", "the coordinator failed to answer; its log says why");
        }
    }

    /// <summary>An RFC 9457 problem-details response (application/problem+json).</summary>
    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>
    /// SHA-256 both sides first: FixedTimeEquals is constant-time only for equal lengths, and hashing leaks neither
    /// the token's length nor where a guess first differs.
    /// </summary>
    internal static bool SameToken(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));


    private static IResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "the admin endpoints need Authorization: Bearer <the coordinator's admin token>");
    }

    private static ILogger Logger(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger("Cuckoo.Coordinator.Admin") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
