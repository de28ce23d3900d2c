using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Coordinator.Admin;

/// <summary>
/// The coordinator's admin HTTP API: cluster members (list, leave, down), their events as a server-sent stream, and
/// the admitted miners. Every endpoint needs the bearer token of <see cref="AdminOptions"/>.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>
    /// Maps the admin endpoints under <paramref name="prefix"/>. Needs in DI: the <see cref="ActorSystem"/>,
    /// <see cref="AdminOptions"/> (without a token every request is refused) and, for miners, <see cref="IAdmittedMiners"/>.
    /// </summary>
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder endpoints, string prefix = "/admin")
    {
        var group = endpoints.MapGroup(prefix);
        group.AddEndpointFilter(AdminAuth.FilterAsync);
        group.MapGet("/cluster/members", (HttpContext http) => Members(http));
        group.MapPost("/cluster/members/{member}/leave", (string member, HttpContext http) => Act(http, member, "leave"));
        group.MapPost("/cluster/members/{member}/down", (string member, HttpContext http) => Act(http, member, "down"));
        // A Delegate, not a RequestDelegate: only route handlers run the group's filter (the token check).
        group.MapGet("/cluster/events", (Delegate)((HttpContext http) => AdminEventStream.RunAsync(http)));
        group.MapGet("/miners", (HttpContext http) => Miners(http));

        // Up times are known only from when watching begins; Akka.Hosting's ActorSystem exists once the host has started.
        var services = endpoints.ServiceProvider;
        services.GetService<IHostApplicationLifetime>()?.ApplicationStarted.Register(() =>
        {
            try
            {
                if (services.GetService<ActorSystem>() is { } system)
                {
                    MemberUptime.Get(system);
                }
            }
            catch (Exception ex)
            {
                services.GetService<ILoggerFactory>()?.CreateLogger("Cuckoo.Coordinator.Admin").LogWarning(ex, "Member up times are not tracked");
            }
        });
        return group;
    }

    internal static bool TryGetSystem(HttpContext http, out ActorSystem system, out IResult problem)
    {
        system = http.RequestServices.GetService<ActorSystem>()!;
        problem = system is null
            ? AdminAuth.Problem(StatusCodes.Status503ServiceUnavailable, "No actor system", "the coordinator's actor system is not running")
            : Results.Empty;
        return system is not null;
    }

    internal static TimeProvider Time(HttpContext http) => http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;

    private static IResult Members(HttpContext http)
    {
        if (!TryGetSystem(http, out var system, out var problem))
        {
            return problem;
        }
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var miners = http.RequestServices.GetService<IAdmittedMiners>()?.List() ?? [];
        var uptime = MemberUptime.Get(system);
        var now = Time(http).GetUtcNow();
        var members = state.Members.Select(m =>
        {
            var since = uptime.UpSince(m.UniqueAddress);
            var miner = miners.FirstOrDefault(a => AdminMembers.SameNode(a.NodeAddress, m.Address));
            return new MemberView(
                m.Address.ToString(), m.UniqueAddress.Uid, [.. m.Roles.Order(StringComparer.Ordinal)], m.Status.ToString(), !state.Unreachable.Contains(m),
                m.AppVersion.ToString(), since, since is { } s ? Math.Round((now - s).TotalSeconds, 3) : null,
                miner is null ? null : new MemberMinerView(miner.Miner, miner.Weight, miner.Models, miner.Provider, miner.Jailed));
        }).ToList();
        return Results.Json(new ClusterMembersView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members, now), AdminJson.Options);
    }

    private static IResult Act(HttpContext http, string member, string action)
    {
        if (!TryGetSystem(http, out var system, out var problem))
        {
            return problem;
        }
        var cluster = Akka.Cluster.Cluster.Get(system);
        var miners = http.RequestServices.GetService<IAdmittedMiners>()?.List() ?? [];
        // Routing leaves %2F encoded in a segment, and an Akka address has two slashes.
        var (found, notFound) = AdminMembers.Resolve(cluster.State.Members, miners, Uri.UnescapeDataString(member));
        if (found is null)
        {
            return notFound!;
        }
        if (action == "leave")
        {
            cluster.Leave(found.Address);
        }
        else
        {
            cluster.Down(found.Address);
        }
        return Results.Json(new MemberActionView(found.Address.ToString(), found.UniqueAddress.Uid, action, found.Status.ToString()), AdminJson.Options,
            statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Miners(HttpContext http) => http.RequestServices.GetService<IAdmittedMiners>() is { } miners
        ? Results.Json(miners.List(), AdminJson.Options)
        : AdminAuth.Problem(StatusCodes.Status503ServiceUnavailable, "No miner registry", "this node does not admit miners");
}
