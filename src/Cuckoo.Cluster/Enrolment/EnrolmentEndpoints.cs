using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Cuckoo.Cluster.Http;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>
/// The HTTP face of <see cref="EnrolmentService"/> (from DI): <c>POST {prefix}/challenges</c> issues a challenge and
/// <c>POST {prefix}</c> takes the answer. Refusals are problem details (<see cref="EnrolmentProblems"/>); failures of the
/// chain or the node are a 503 problem without internals.
/// </summary>
public static class EnrolmentEndpoints
{
    public const string DefaultPrefix = "/v1/enrolment";

    public static RouteGroupBuilder MapEnrolment(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        group.MapPost("/challenges", (HttpContext context, EnrolmentService service) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(service.IssueChallenge(), EnrolmentProblems.Json);
        });
        group.MapPost("", EnrolAsync);
        return group;
    }

    private static async Task<IResult> EnrolAsync(HttpContext context, EnrolmentService service, ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        var limit = service.Options.MaxRequestBytes;
        byte[]? body;
        try
        {
            body = await HttpRequests.ReadBodyAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            return Refuse(context, new EnrolmentRefused(RefusalReason.Malformed, "The body could not be read as sent."));
        }
        if (body is null)
        {
            return Refuse(context, new EnrolmentRefused(RefusalReason.Malformed, $"The body is larger than {limit} bytes."));
        }
        EnrolmentRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<EnrolmentRequest>(body, EnrolmentProblems.Json);
        }
        catch (JsonException ex)
        {
            // The path says where; the exception's message would name our types.
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" (at {ex.Path})";
            return Refuse(context, new EnrolmentRefused(
                RefusalReason.Malformed, $"The body is not a valid enrolment request{where}: JSON with nonce, miner, certificateThumbprint, models, capacity, softwareVersion and signature is expected."));
        }
        try
        {
            var outcome = await service.EnrolAsync(request!, context.RequestAborted).ConfigureAwait(false);
            return outcome.Match(accepted => Results.Json(accepted, EnrolmentProblems.Json), refused => Refuse(context, refused));
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(EnrolmentEndpoints)).LogError(ex, "An enrolment could not be decided");
            return Results.Problem(
                detail: "The coordinator could not check this enrolment now (chain or node unavailable): request a new challenge and try again later.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Enrolment unavailable");
        }
    }

    private static IResult Refuse(HttpContext context, EnrolmentRefused refused)
    {
        // RFC 9110 wants a challenge with every 401: ours is the one POST challenges issues.
        if (EnrolmentProblems.StatusOf(refused.Reason) == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "CuckooEnrolment";
        }
        return EnrolmentProblems.ToResult(refused);
    }
}
