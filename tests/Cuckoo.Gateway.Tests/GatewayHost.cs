using System.Net;
using System.Net.Http.Headers;
using Akka.Actor;
using Akka.Configuration;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Inference.Catalog;
using Cuckoo.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Address = Cuckoo.Chain.Address;
using SchedulerActor = Cuckoo.Coordinator.Scheduler.Scheduler;

namespace Cuckoo.Gateway.Tests;

/// <summary>
/// The gateway on a real Kestrel (127.0.0.1, free port) over a real scheduler on a temporary SQLite journal. The registry
/// stand-in picks <see cref="Miner"/> (at once, or when <see cref="ReleasePicks"/> says); the dispatcher stand-in
/// answers each dispatch with <see cref="Png"/> as the miner's result, or never.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    public const string App = "app-1";

    /// <summary>A 1×1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static readonly Address Miner = Address.Parse("0xbb00000000000000000000000000000000000001");

    private readonly string _temp;
    private readonly IActorRef _registry;

    private GatewayHost(string temp, ActorSystem system, IActorRef registry, WebApplication app, Uri url, string key, string otherKey)
    {
        _temp = temp;
        System = system;
        _registry = registry;
        Web = app;
        Url = url;
        Key = key;
        OtherKey = otherKey;
    }

    public ActorSystem System { get; }

    public WebApplication Web { get; }

    public Uri Url { get; }

    /// <summary>The key of <see cref="App"/>.</summary>
    public string Key { get; }

    /// <summary>The key of a second app, "app-2".</summary>
    public string OtherKey { get; }

    /// <param name="holdPicks">The registry answers only after <see cref="ReleasePicks"/>.</param>
    /// <param name="complete">The dispatcher reports a result for each dispatch; otherwise tasks stay running.</param>
    /// <param name="leaderElsewhere">Where the scheduler runs when this gateway is a standby's (null: here).</param>
    public static async Task<GatewayHost> StartAsync(
        SchedulerSettings? settings = null, GatewayOptions? options = null, bool holdPicks = false, bool complete = true, string? leaderElsewhere = null)
    {
        var temp = Directory.CreateTempSubdirectory("cuckoo-gateway-tests-").FullName;
        var persistence = PersistenceSettings.Sqlite(Path.Combine(temp, "scheduler.db"));
        persistence.PrepareStorage();
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING").WithFallback(persistence.ToConfig());
        var system = ActorSystem.Create("gateway-tests", config);
        var registry = system.ActorOf(Props.Create(() => new FixedMinerRegistry(Miner, holdPicks)));
        var dispatcher = system.ActorOf(Props.Create(() => new PngDispatcher(complete)));
        // No random audits: the stand-in dispatcher runs each task once, and these tests are about the HTTP side.
        var scheduler = system.ActorOf(SchedulerActor.Props(
            (settings ?? new SchedulerSettings { SweepInterval = TimeSpan.FromMilliseconds(100) }) with { AuditRate = 0 }, registry, dispatcher));

        var (key, entry) = ApiKeyStore.Mint(App);
        var (otherKey, otherEntry) = ApiKeyStore.Mint("app-2");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new GatewayScheduler(system, scheduler, () => leaderElsewhere));
        builder.Services.AddSingleton(new ApiKeyStore([entry, otherEntry]));
        builder.Services.AddSingleton(ModelCatalog.Load(ModelCatalog.DefaultPath()));
        builder.Services.AddGateway(options);
        var app = builder.Build();
        app.MapGateway();
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new GatewayHost(temp, system, registry, app, url, key, otherKey);
    }

    /// <summary>Lets the registry answer the picks it holds, and every later one at once.</summary>
    public void ReleasePicks() => _registry.Tell(FixedMinerRegistry.Release.Instance);

    public HttpClient Client(string? key = "")
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        key = key == "" ? Key : key;
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Web.StopAsync();
        await Web.DisposeAsync();
        await System.Terminate();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_temp, recursive: true);
    }

    private sealed class FixedMinerRegistry : ReceiveActor
    {
        private readonly List<(PickMiner Pick, IActorRef Sender)> _held = [];

        public FixedMinerRegistry(Address miner, bool hold)
        {
            Receive<PickMiner>(pick =>
            {
                if (hold)
                {
                    _held.Add((pick, Sender));
                }
                else
                {
                    Sender.Tell(new MinerPicked(pick.TaskId, pick.Model, miner, 1, 1));
                }
            });
            Receive<Release>(_ =>
            {
                hold = false;
                foreach (var (pick, sender) in _held)
                {
                    sender.Tell(new MinerPicked(pick.TaskId, pick.Model, miner, 1, 1));
                }
                _held.Clear();
            });
        }

        public sealed record Release
        {
            public static Release Instance { get; } = new();
        }
    }

    private sealed class PngDispatcher : ReceiveActor
    {
        public PngDispatcher(bool complete)
        {
            Receive<DispatchTask>(d =>
            {
                // As a miner's link does: its model starts the attempt, then the result comes.
                Sender.Tell(new AttemptStarted(d.TaskId, d.Miner, d.Attempt));
                if (complete)
                {
                    Sender.Tell(new ReportResult(d.TaskId, d.Miner, d.Attempt, "0xd1", Png, "0xsig"));
                }
            });
            ReceiveAny(_ => { });
        }
    }
}
