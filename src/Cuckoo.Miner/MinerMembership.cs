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
using Cuckoo.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Miner;

/// <summary>
/// One miner's membership of one coordinator's cluster: enrol over HTTPS, join over mutual TLS, serve, and when the
/// cluster lets go of this node (downed, revoked, the coordinators gone), enrol again and rejoin, until stopped.
/// </summary>
public sealed class MinerMembership(
    MinerNodeSettings settings, ModelCatalog catalog, IReadOnlyList<string> models, Address coordinator, Uri enrolmentUrl, int port, ILoggerFactory logging)
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
            await ServeAsync(accepted, certificate, thumbprint, cancellationToken);
            if (!cancellationToken.IsCancellationRequested)
            {
                _log.LogWarning("this node left coordinator {Coordinator}'s cluster; enrolling again", coordinator);
            }
        }
    }

    /// <summary>Runs one membership until this node's actor system ends (downed, left) or the node is stopped.</summary>
    private async Task ServeAsync(EnrolmentAccepted accepted, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string thumbprint, CancellationToken cancellationToken)
    {
        var allowList = new PeerAllowList(accepted.Cluster.CoordinatorThumbprints);
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
                .WithActors((system, _) =>
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
                    MinerShutdown.Register(system, workers.Values);
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
    }
}
