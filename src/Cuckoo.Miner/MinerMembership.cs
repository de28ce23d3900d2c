using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Cuckoo.Chain;
using Address = Cuckoo.Chain.Address;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Transport;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;
using Cuckoo.Miner.Work;
using Cuckoo.Persistence;
using Cuckoo.Staking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Miner;

/// <summary>
/// One miner's membership of one coordinator's cluster: enrol over HTTPS, join over mutual TLS, serve, and when the
/// cluster lets go of this node (downed, revoked, the coordinators gone), enrol again and rejoin, until stopped.
/// </summary>
/// <param name="credits">Tasks this membership may hold at once (its share of the node's capacity), read live by the work link.</param>
public sealed class MinerMembership(
    MinerNodeSettings settings, ModelCatalog catalog, IReadOnlyList<string> models, Address coordinator, Uri enrolmentUrl, int port,
    CoordinatorCredits credits, ILoggerFactory logging)
{
    /// <summary>Refusals that will not pass by waiting: at the first enrolment they stop the node with a sentence.</summary>
    private static readonly HashSet<RefusalReason> Final =
        [RefusalReason.Unregistered, RefusalReason.Deregistered, RefusalReason.UnderStaked, RefusalReason.Jailed, RefusalReason.IncompatibleVersion, RefusalReason.WrongChain];

    private readonly ILogger _log = logging.CreateLogger("Cuckoo.Miner.Membership");

    public string NodeAddress => $"{settings.PublicClusterHost ?? settings.ClusterHost}:{port}";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(settings.DataDirectory, coordinator.ToString());
        var certificate = NodeCertificate.LoadOrCreate(Path.Combine(directory, "node.pfx"), "cuckoo-miner-" + settings.Key.Address);
        var thumbprint = NodeCertificate.ThumbprintOf(certificate);
        using var http = new HttpClient(EnrolmentTypedData.Handler()) { Timeout = TimeSpan.FromSeconds(15) };
        var client = new EnrolmentClient(http);
        var backoff = settings.RetryBackoff;
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            EnrolmentAccepted accepted;
            try
            {
                accepted = await client.EnrolAsync(
                    enrolmentUrl, coordinator, settings.Key, thumbprint, models, settings.Capacity, MinerNodeSettings.SoftwareVersion,
                    NodeAddress, settings.Provider.ToString().ToLowerInvariant(), cancellationToken);
            }
            catch (EnrolmentRefusedException refused) when (first && Final.Contains(refused.Reason))
            {
                throw new MinerRefusedException($"coordinator {coordinator} refused this miner: {refused.Message}");
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is EnrolmentRefusedException or EnrolmentVerificationException or HttpRequestException or TaskCanceledException or IOException)
            {
                var why = e is EnrolmentRefusedException refused ? $"refused, {EnrolmentProblems.NameOf(refused.Reason)}: {e.Message}" : e.Message;
                _log.LogWarning("enrolment at {Url} failed ({Reason}); trying again in {Backoff}", enrolmentUrl, why, backoff);
                await Task.Delay(backoff, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxRetryBackoff.Ticks));
                continue;
            }
            first = false;
            backoff = settings.RetryBackoff;
            _log.LogInformation("admitted by coordinator {Coordinator}; joining {Seeds} as {Node}", coordinator, string.Join(", ", accepted.Cluster.SeedNodes), NodeAddress);
            var exiting = await ServeAsync(accepted, certificate, thumbprint, cancellationToken);
            if (exiting && !cancellationToken.IsCancellationRequested)
            {
                // The node's own stop follows (the CLI cancels on the same signal): wait for it rather than end first.
                _log.LogInformation("the process is exiting; not enrolling at coordinator {Coordinator} again", coordinator);
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            if (!cancellationToken.IsCancellationRequested)
            {
                _log.LogWarning("this node left coordinator {Coordinator}'s cluster; enrolling again", coordinator);
            }
        }
    }

    /// <summary>
    /// Runs one membership until this node's actor system ends (downed, left) or the node is stopped; true when the system
    /// ended because the process is exiting (SIGTERM reaches Akka's CLR hook and the host's lifetime, and may do so
    /// before it cancels the node's token), so that no new membership is started on the way out.
    /// </summary>
    private async Task<bool> ServeAsync(EnrolmentAccepted accepted, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string thumbprint, CancellationToken cancellationToken)
    {
        var allowList = new PeerAllowList(accepted.Cluster.CoordinatorThumbprints);
        var typed = new StakingTypedData(settings.ChainId, settings.Staking);
        var config = CuckooHocon.Load(new HoconOptions { Role = NodeRole.Miner, Extra = settings.ExtraHocon });
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(logging);
        builder.Services.AddAkka(accepted.Cluster.SystemName, (akka, _) =>
        {
            // The wire serializers (ours bound, Akka's type-naming ones refused) under the files' settings.
            akka.AddHocon(config.WithFallback(WireSerialization.Config), HoconAddMode.Prepend)
                .WithRemoting(new RemoteOptions
                {
                    HostName = settings.ClusterHost,
                    Port = port,
                    PublicHostName = settings.PublicClusterHost,
                    EnableSsl = true,
                    Ssl = ClusterTls.Options(certificate, allowList),
                })
                .WithClustering(new ClusterOptions { Roles = [MinerNode.Role], SeedNodes = [.. accepted.Cluster.SeedNodes] })
                .WithDistributedPubSub(null!)
                // Added before the actors below, which take the proxy from the registry.
                .WithSingletonProxy<LeaderProxy>(MinerWorkLink.LeaderSingleton, new ClusterSingletonOptions { Role = MinerWorkLink.CoordinatorRole })
                .WithActors((system, registry) =>
                {
                    system.ActorOf(MembershipKeeper.Props(new MembershipKeeperSettings
                    {
                        Coordinator = coordinator,
                        AllowList = allowList,
                        OwnThumbprint = thumbprint,
                    }), MembershipPaths.KeeperName);
                    var workers = models.ToDictionary(
                        m => m,
                        m => system.ActorOf(GpuWorkerSupervisor.Props(catalog, m, new InferenceSettings { Provider = settings.Provider }), "gpu-" + m));
                    var link = system.ActorOf(
                        MinerWorkLink.Props(
                            settings.Key, coordinator, typed, catalog, models, settings.Provider.ToString().ToLowerInvariant(), () => credits.Value,
                            registry.Get<LeaderProxy>(), workers, new MinerWorkLinkSettings { CorruptOutputs = settings.CorruptOutputs }),
                        MinerWorkLink.Name);
                    MinerShutdown.Register(system, workers.Values, link);
                });
        });
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var system = host.Services.GetRequiredService<ActorSystem>();
        try
        {
            await system.WhenTerminated.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped by the operator: StopAsync below leaves the cluster through CoordinatedShutdown.
        }
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StopAsync(stopping.Token);
        return CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClrExitReason;
    }
}

/// <summary>The registry key of the leader singleton's proxy, through which the work link reaches the dispatcher.</summary>
public sealed class LeaderProxy;
