using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cuckoo.Gateway;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the scheduler answers a status query in time. Neither needs a key.</summary>
public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").WithTags("health");
        group.MapGet("/healthz", () => Results.Json(new { status = "ok" }, GatewayProblems.Json));
        group.MapGet("/readyz", async (GatewayScheduler scheduler, GatewayOptions options, CancellationToken cancellationToken) =>
        {
            try
            {
                // Any id will do: the scheduler answers from memory, so an answer means its mailbox is moving.
                await scheduler.GetAsync("readyz", options.ReadyTimeout, cancellationToken);
                return Results.Json(new { status = "ready" }, GatewayProblems.Json);
            }
            catch (TimeoutException e)
            {
                return GatewayProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Not ready", e.Message, "scheduler_unavailable");
            }
        }).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }
}
