using Cuckoo.Coordinator.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cuckoo.Gateway;

/// <summary>One miner of <c>GET /v1/miners</c>, as the registry sees it now. Amounts are wei, as decimal strings.</summary>
/// <param name="Ineligible">Why it is not picked now (inactive, jailed, unreachable, no credits, ...); empty when eligible.</param>
public sealed record MinerView(
    string Address,
    bool Eligible,
    IReadOnlyList<string> Ineligible,
    string Weight,
    string SelfStake,
    string Votes,
    IReadOnlyList<string> Models,
    int FreeCredits,
    bool Jailed,
    bool Admitted,
    bool Reachable);

public sealed record MinerViewList(string Object, IReadOnlyList<MinerView> Data);

/// <summary><c>GET /v1/miners[?model=ID]</c>: the miners the coordinator could give a task to, and why the others are not picked.</summary>
public static class MinerEndpoints
{
    public static RouteGroupBuilder MapMiners(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/miners").AddEndpointFilterFactory(ApiKeyAuth.Problems).WithTags("miners");
        group.MapGet("", async (string? model, GatewayScheduler scheduler, GatewayOptions options, CancellationToken cancellationToken) =>
        {
            try
            {
                var list = await scheduler.MinersAsync(model, options.SchedulerTimeout, cancellationToken);
                return Results.Json(new MinerViewList("list", [.. list.Miners.Where(m => m.Kind != Staking.CandidateKind.Coordinator).Select(View)]), GatewayProblems.Json);
            }
            catch (TimeoutException e)
            {
                return Tasks.TaskViews.Unavailable(e.Message).ToProblem();
            }
        }).Produces<MinerViewList>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static MinerView View(MinerInfo m) => new(
        m.Miner.ToString(), m.Eligible,
        [.. Enum.GetValues<Ineligibility>().Where(r => r != Ineligibility.None && m.Ineligible.HasFlag(r)).Select(Name)],
        m.Weight.ToString(), m.SelfStake.ToString(), m.Votes.ToString(), m.Models, m.FreeCredits, m.Jailed, m.Admitted, m.Reachable);

    private static string Name(Ineligibility reason) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());
}
