using Akka.Actor;
using Akka.Hosting;
using Cuckoo.Cluster.Http;
using Cuckoo.Coordinator.Node;
using Cuckoo.Gateway.Portal;
using Cuckoo.Inference.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Cuckoo.Gateway.Hosting;

/// <summary>
/// The apps' gateway on a coordinator node: its endpoints on the gateway listener only, the scheduler reached through the
/// <c>leader</c> singleton's proxy, API keys from the node's key file, and <c>/metrics</c> in Prometheus' format through
/// OpenTelemetry's exporter (the coordinator's meter and ASP.NET Core's), and the staking and operations portal under <c>/portal/</c>.
/// </summary>
public static class CoordinatorGateway
{
    /// <summary>Miner to jail reason from the trust keeper; nobody while the gateway has not reached the leader yet or it does not answer.</summary>
    /// <summary>
    /// The node of the leader singleton (the oldest Up coordinator, where the singleton manager runs it) when that is not
    /// this node; null when it is, or while this node is not Up yet.
    /// </summary>
    private static string? LeaderElsewhere(ActorSystem system)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        Akka.Cluster.Member? oldest = null;
        foreach (var member in cluster.State.Members)
        {
            if (member.Status == Akka.Cluster.MemberStatus.Up && member.HasRole(CoordinatorNode.Role) && (oldest is null || member.IsOlderThan(oldest)))
            {
                oldest = member;
            }
        }
        return oldest is null || oldest.UniqueAddress.Equals(cluster.SelfUniqueAddress) ? null : oldest.Address.ToString();
    }

    private static async Task<IReadOnlyDictionary<Cuckoo.Chain.Address, string>> JailedAsync(GatewayScheduler? leader, CancellationToken cancellationToken)
    {
        if (leader is null)
        {
            return new Dictionary<Cuckoo.Chain.Address, string>();
        }
        try
        {
            return await leader.QueryAsync(Cuckoo.Coordinator.Trust.GetJail.Instance, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false) is Cuckoo.Coordinator.Trust.JailList list
                ? list.Miners.ToDictionary(m => m.Miner, m => m.Reason)
                : new Dictionary<Cuckoo.Chain.Address, string>();
        }
        catch (TimeoutException)
        {
            return new Dictionary<Cuckoo.Chain.Address, string>();
        }
    }

    /// <param name="catalog">The catalog already read from <see cref="CoordinatorNodeSettings.CatalogPath"/>; read here when null.</param>
    public static CoordinatorNodeParts Parts(
        CoordinatorNodeSettings settings, GatewayOptions? options = null, PortalOptions? portal = null, ModelCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.GatewayListen is not { } listen)
        {
            return new CoordinatorNodeParts();
        }
        catalog ??= ModelCatalog.Load(settings.CatalogPath ?? ModelCatalog.DefaultPath());
        return new CoordinatorNodeParts(
            Configure: builder =>
            {
                builder.Services.AddGateway(options);
                builder.Services.AddSingleton(catalog);
                builder.Services.AddSingleton(sp => new ApiKeyFile(settings.ApiKeysPath,
                    warning => sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cuckoo.Gateway").LogWarning("{Warning}", warning)));
                builder.Services.AddTransient(sp => sp.GetRequiredService<ApiKeyFile>().Current);
                GatewayScheduler? leader = null;
                builder.Services.AddSingleton(sp =>
                {
                    var system = sp.GetRequiredService<ActorSystem>();
                    return leader = new GatewayScheduler(system, sp.GetRequiredService<ActorRegistry>().Get<LeaderHost>(), () => LeaderElsewhere(system));
                });
                // The network table's jailed status is the trust keeper's, asked through the same leader proxy as the tasks.
                builder.Services.AddPortal(settings, portal ?? new PortalOptions { Jailed = ct => JailedAsync(leader, ct) });
                builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                    .AddMeter(Cuckoo.Coordinator.Metrics.CoordinatorMetrics.MeterName)
                    .AddMeter("Microsoft.AspNetCore.Hosting")
                    .AddPrometheusExporter());
            },
            Map: app =>
            {
                var gateway = app.MapGroup("").OnListener(listen.Port);
                gateway.MapGateway();
                gateway.MapPortal();
                gateway.MapPrometheusScrapingEndpoint("/metrics");
            });
    }
}
