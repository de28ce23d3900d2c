using System.Text.RegularExpressions;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Gateway.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cuckoo.Gateway;

/// <summary>
/// What the coordinator's trust keeper knows, for apps, stakers and auditors: slash evidence by the contract's evidence
/// id (the one in each <c>Slashed</c> event), the jailed miners and why, and the rewards each miner earned and why.
/// </summary>
public static partial class TrustEndpoints
{
    [GeneratedRegex("^0x[0-9a-fA-F]{64}$")]
    private static partial Regex EvidenceIdPattern();

    public static RouteGroupBuilder MapTrust(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1").AddEndpointFilterFactory(ApiKeyAuth.Problems).WithTags("trust");
        group.MapGet("/evidence/{id}", async (string id, GatewayScheduler leader, GatewayOptions options, CancellationToken cancellationToken) =>
        {
            if (!EvidenceIdPattern().IsMatch(id))
            {
                return RequestError.Invalid($"'{id}' is not an evidence id: 0x and 64 hex digits, as in the contract's Slashed event", "id").ToProblem();
            }
            return await AskAsync(leader, new GetEvidence(id.ToLowerInvariant()), options, cancellationToken, reply => reply switch
            {
                EvidenceFound found => Results.Json(found, GatewayProblems.Json),
                EvidenceNotFound => GatewayProblems.Problem(StatusCodes.Status404NotFound, "Unknown evidence",
                    $"This coordinator holds no evidence {id}.", "evidence_not_found"),
                _ => null,
            });
        }).Produces<EvidenceFound>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/jail", (GatewayScheduler leader, GatewayOptions options, CancellationToken cancellationToken) =>
            AskAsync(leader, GetJail.Instance, options, cancellationToken, reply => reply is JailList list ? Results.Json(list, GatewayProblems.Json) : null))
            .Produces<JailList>();
        group.MapGet("/rewards", (GatewayScheduler leader, GatewayOptions options, CancellationToken cancellationToken) =>
            AskAsync(leader, GetRewards.Instance, options, cancellationToken, reply => reply is RewardsReport report ? Results.Json(report, GatewayProblems.Json) : null))
            .Produces<RewardsReport>();
        return group;
    }

    private static async Task<IResult> AskAsync(
        GatewayScheduler leader, object query, GatewayOptions options, CancellationToken cancellationToken, Func<object, IResult?> answer)
    {
        try
        {
            var reply = await leader.QueryAsync(query, options.SchedulerTimeout, cancellationToken);
            return answer(reply) ?? TaskViews.Unavailable($"the trust keeper answered {reply.GetType().Name}").ToProblem();
        }
        catch (TimeoutException e)
        {
            return TaskViews.Unavailable(e.Message).ToProblem();
        }
    }
}
