using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Cuckoo.ChainWatcher;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Cluster.Http;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Transport;
using Cuckoo.Coordinator.Admin;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Coordinator.Work;
using Cuckoo.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Coordinator.Node;

/// <summary>
/// A coordinator node composed in code: Kestrel with the public enrolment listener and the loopback admin listener, and
/// an Akka.Cluster member (role <c>coordinator</c>, a seed) over mutual TLS whose allow-list the membership keeper keeps,
/// with the chain watcher as a cluster singleton. What operators tune lives in hocon/ (shared, coordinator).
/// </summary>
public static class CoordinatorNode
{
    public const string Role = "coordinator";

    /// <param name="parts">What a host adds on top (the apps' gateway): services before the build, endpoints after.</param>
    public static WebApplication Build(CoordinatorNodeSettings settings, Action<ILoggingBuilder>? logging = null, CoordinatorNodeParts? parts = null)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        var certificate = NodeCertificate.LoadOrCreate(settings.CertificatePath, "cuckoo-coordinator-" + settings.Key.Address);
        var thumbprint = NodeCertificate.ThumbprintOf(certificate);
        var allowList = new PeerAllowList(settings.PeerThumbprints);
        var hocon = new HoconOptions { Role = NodeRole.Coordinator, Extra = OwnSqliteFile(settings) + settings.ExtraHocon };
        var config = CuckooHocon.Load(hocon);
        if (CoordinatorStore.LeaseHocon(config, settings) is { Length: > 0 } lease)
        {
            config = CuckooHocon.Load(hocon with { Extra = lease + "\n" + hocon.Extra });
        }
        CuckooHocon.PrepareStorage(config);

        var builder = WebApplication.CreateSlimBuilder();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The largest body any endpoint takes (a task with an image); each endpoint checks its own, tighter limit.
            kestrel.Limits.MaxRequestBodySize = 2 * 1024 * 1024;
            kestrel.Listen(settings.EnrolmentListen, l => { l.Protocols = HttpProtocols.Http1AndHttp2; l.UseHttps(certificate); });
            kestrel.Listen(settings.AdminListen, l => l.UseHttps(certificate));
            if (settings.GatewayListen is { } gateway && parts is not null)
            {
                // Plain HTTP, on loopback by default: an operator who opens it to the internet puts TLS in front.
                kestrel.Listen(gateway, l => l.Protocols = HttpProtocols.Http1);
            }
        });

        var weights = new MinerWeights();
        // One per node; the gateway's /metrics exports it. The leader's actors record into it while they run here.
        var metrics = new Metrics.CoordinatorMetrics();
        var view = new AdmittedMinersView(weights);
        var chain = new Chain.ChainClient(settings.RpcUrl);
        var staking = new Staking.CuckooStakingClient(chain, settings.Staking);
        // Filled by the trust keeper: a jailed miner is refused at enrolment too.
        var jail = new JailBook();
        var eligibility = new ChainMinerEligibility(staking, jail);
        var seeds = settings.Seeds.Count > 0 ? settings.Seeds : [settings.SelfAkkaAddress];
        var adminToken = AdminAccessFile.NewToken();

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(metrics);
        // Registered so that the host disposes it with the node.
        builder.Services.AddSingleton(chain);
        builder.Services.AddSingleton(view);
        builder.Services.AddSingleton<IAdmittedMiners>(view);
        builder.Services.AddSingleton(new AdminOptions { Token = adminToken });
        builder.Services.AddSingleton<IMinerEligibility>(eligibility);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IAdmissionSink>(sp => new KeeperAdmissionSink(sp.GetRequiredService<ActorRegistry>(), eligibility, weights));
        builder.Services.AddSingleton(sp => new EnrolmentService(
            new EnrolmentOptions(),
            settings.Key,
            settings.ChainId,
            settings.Staking,
            () => new ClusterDescriptor(settings.SystemName, seeds, [thumbprint, .. settings.PeerThumbprints, .. view.Thumbprints()]),
            eligibility,
            sp.GetRequiredService<IAdmissionSink>(),
            TimeProvider.System));

        builder.Services.AddAkka(settings.SystemName, (akka, sp) =>
        {
            // The wire serializers (ours bound, Akka's type-naming ones refused) under the files' settings.
            akka.AddHocon(config.WithFallback(WireSerialization.Config), HoconAddMode.Prepend)
                .WithRemoting(new RemoteOptions
                {
                    HostName = settings.ClusterHost,
                    Port = settings.ClusterPort,
                    PublicHostName = settings.PublicClusterHost,
                    EnableSsl = true,
                    Ssl = ClusterTls.Options(certificate, allowList),
                })
                .WithClustering(new ClusterOptions { Roles = [Role], SeedNodes = [.. seeds] })
                .WithDistributedPubSub(null!)
                .WithActors((system, registry) =>
                {
                    var keeper = system.ActorOf(MembershipKeeper.Props(new MembershipKeeperSettings
                    {
                        Coordinator = settings.Key.Address,
                        AllowList = allowList,
                        OwnThumbprint = thumbprint,
                        Authority = settings.Key,
                        Eligibility = eligibility,
                        Changed = view.Update,
                    }), MembershipPaths.KeeperName);
                    registry.Register<MembershipKeeper>(keeper);
                    // Up times are recorded from here on, this node's own included (the admin view shows them).
                    MemberUptime.Get(system);
                    // Start the journal now, so that its tables exist (and the fence can be installed) before a singleton writes.
                    Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
                })
                .WithSingleton<LeaderHost>(CoordinatorStore.LeaderSingleton, LeaderHost.Props(LeaderSettingsOf(settings, config, weights, view, staking, metrics, jail)), new ClusterSingletonOptions { Role = Role });
        });
        parts?.Configure?.Invoke(builder);

        var app = builder.Build();
        app.UseListenerPorts();
        app.MapEnrolment().OnListener(settings.EnrolmentListen.Port);
        app.MapAdmin().RequireHost($"*:{settings.AdminListen.Port}").OnListener(settings.AdminListen.Port);
        parts?.Map?.Invoke(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            AdminAccessFile.Write(settings.AdminAccessPath, new Uri($"https://{settings.AdminListen}"), adminToken, thumbprint);
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cuckoo.Coordinator");
            _ = CoordinatorStore.InstallFenceAsync(config, settings, log, app.Lifetime.ApplicationStopping).ContinueWith(
                t => log.LogError(t.Exception!.GetBaseException(), "the journal fence could not be installed: a deposed coordinator's writes are not refused"),
                TaskContinuationOptions.OnlyOnFaulted);
        });
        return app;
    }

    /// <summary>
    /// On SQLite the journal is the node's own file in its data folder (not the working directory's data/cuckoo.db), so
    /// that two coordinators on one machine never share one; CUCKOO_DB and the HOCON layers above still override it.
    /// </summary>
    private static string OwnSqliteFile(CoordinatorNodeSettings settings)
    {
        var provider = Environment.GetEnvironmentVariable(CuckooHocon.ProviderVariable);
        if (provider is { Length: > 0 } && !provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return "";
        }
        var file = Path.GetFullPath(Path.Combine(settings.DataDirectory, "cuckoo.db"));
        return $"cuckoo.persistence.connection-string = {System.Text.Json.JsonSerializer.Serialize($"Data Source={file};Default Timeout=30")}\n";
    }

    private static LeaderSettings LeaderSettingsOf(
        CoordinatorNodeSettings settings, Akka.Configuration.Config config, MinerWeights weights, AdmittedMinersView view, Staking.CuckooStakingClient staking,
        Metrics.CoordinatorMetrics metrics, JailBook jail)
    {
        // One journal per chain and contract, like the watcher's: a coordinator pointed at a fresh devnet starts with no tasks.
        var deployment = $"{settings.ChainId}-{settings.Staking}";
        var typed = new Staking.StakingTypedData(settings.ChainId, settings.Staking);
        var dispatcher = new DispatcherSettings
        {
            Coordinator = settings.Key.Address,
            TypedData = typed,
            AdmissionOf = view.Find,
            CandidateOf = (miner, cancellationToken) => staking.CandidateOfAsync(miner).WaitAsync(cancellationToken),
        };
        // The contract takes slashes and rewards only from the coordinator address itself, so the node sends them with its own key.
        var token = settings.Token ?? staking.TokenAsync().GetAwaiter().GetResult();
        var trustChain = new StakingTrustChain(
            staking, new Staking.CaiTokenClient(staking.Client, token), new Chain.TransactionSender(staking.Client, settings.Key));
        var trust = new LeaderTrust(
            TrustHocon.Bind(config) with { PersistenceId = $"trust-{deployment}" },
            trustChain,
            (settled, accused, at) => EvidenceBuilder.Build(typed, settings.Key, settled, accused, at),
            jail);
        return new LeaderSettings(
            WatcherSettings(settings),
            weights,
            MarketplaceHocon.Scheduler(config, $"scheduler-{deployment}") with { Agree = settings.Agree },
            new Registry.MinerRegistrySettings(),
            dispatcher with { LinkGrace = MarketplaceHocon.LinkGrace(config, dispatcher.LinkGrace) },
            metrics,
            trust);
    }

    private static ChainWatcherSettings WatcherSettings(CoordinatorNodeSettings settings) => new()
    {
        RpcUrl = settings.RpcUrl,
        Staking = settings.Staking,
        ChainId = settings.ChainId,
        StartBlock = settings.StartBlock,
        // One checkpoint per chain and contract: a coordinator pointed at a new deployment (a fresh devnet) starts afresh.
        PersistenceId = $"chain-watcher-{settings.ChainId}-{settings.Staking}",
    };
}

/// <summary>What a host composes onto a coordinator node: services before the build, endpoints after (the gateway's).</summary>
public sealed record CoordinatorNodeParts(Action<WebApplicationBuilder>? Configure = null, Action<WebApplication>? Map = null);
