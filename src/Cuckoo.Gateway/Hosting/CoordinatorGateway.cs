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

    public static CoordinatorNodeParts Parts(CoordinatorNodeSettings settings, GatewayOptions? options = null, PortalOptions? portal = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.GatewayListen is not { } listen)
        {
            return new CoordinatorNodeParts();
        }
        var catalog = settings.CatalogPath is { } path ? ModelCatalog.Load(path) : ModelCatalog.Load(ModelCatalog.DefaultPath());
        return new CoordinatorNodeParts(
            Configure: builder =>
            {
                builder.Services.AddGateway(options);
                builder.Services.AddSingleton(catalog);
                builder.Services.AddSingleton(sp => new ApiKeyFile(settings.ApiKeysPath,
                    warning => sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cuckoo.Gateway").LogWarning("{Warning}", warning)));
                builder.Services.AddTransient(sp => sp.GetRequiredService<ApiKeyFile>().Current);
                GatewayScheduler? leader = null;
                builder.Services.AddSingleton(sp => leader = new GatewayScheduler(
                    sp.GetRequiredService<ActorSystem>(), sp.GetRequiredService<ActorRegistry>().Get<LeaderHost>()));
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
