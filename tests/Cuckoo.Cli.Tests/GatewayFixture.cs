using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Gateway;
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
using Xunit;
using Address = Cuckoo.Chain.Address;
using SchedulerActor = Cuckoo.Coordinator.Scheduler.Scheduler;

namespace Cuckoo.Cli.Tests;

/// <summary>
/// The gateway on a real Kestrel (127.0.0.1, free port) over a real scheduler on a temporary SQLite journal, with its
/// API keys made by `cuckoo apikey new` and loaded from that file. The registry stand-in always picks <see cref="Miner"/>;
/// the dispatcher stand-in answers as a miner would: <see cref="Png"/> as the result, a failure report for a prompt
/// with <see cref="FailWord"/>, and nothing at all for a prompt with <see cref="HoldWord"/>.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string FailWord = "explode";

    public const string HoldWord = "forever";

    public const string FailReason = "CUDA out of memory";

    /// <summary>A 1×1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static readonly Address Miner = Address.Parse("0xbb00000000000000000000000000000000000001");

    private ActorSystem _system = null!;
    private WebApplication _app = null!;

    public string Temp { get; } = Directory.CreateTempSubdirectory("cuckoo-cli-gateway-").FullName;

    public string KeyFile => Path.Combine(Temp, "coordinator", "api-keys.json");

    public Uri Url { get; private set; } = null!;

    /// <summary>The key of app "app-1", which may hold one unfinished task at a time.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The key of app "slow", for tasks that are held.</summary>
    public string SlowKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Key = await MintAsync("app-1");
        SlowKey = await MintAsync("slow");

        var persistence = PersistenceSettings.Sqlite(Path.Combine(Temp, "scheduler.db"));
        persistence.PrepareStorage();
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off").WithFallback(persistence.ToConfig());
        _system = ActorSystem.Create("cli-gateway-tests", config);
        var registry = _system.ActorOf(Props.Create(() => new FixedMinerRegistry(Miner)));
        var dispatcher = _system.ActorOf(Props.Create(() => new MinerStandIn()));
        // No random audits: the stand-in miner is one, and these tests follow one run of a task.
        var settings = new SchedulerSettings { SweepInterval = TimeSpan.FromMilliseconds(100), MaxAttempts = 1, PerAppQuota = 1, AuditRate = 0 };
        var scheduler = _system.ActorOf(SchedulerActor.Props(settings, registry, dispatcher));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new GatewayScheduler(_system, scheduler));
        builder.Services.AddSingleton(ApiKeyStore.Load(KeyFile));
        builder.Services.AddSingleton(ModelCatalog.Load(ModelCatalog.DefaultPath()));
        builder.Services.AddGateway(new GatewayOptions { MaxTaskBodyBytes = 4096 });
        _app = builder.Build();
        _app.MapGateway();
        await _app.StartAsync();
        Url = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _system.Terminate();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Temp, recursive: true);
    }

    private async Task<string> MintAsync(string app)
    {
        var r = await StakerCliFixture.RunAsync("apikey", "new", "--app", app, "--file", KeyFile);
        Assert.True(r.Code == 0, r.ToString());
        return r.Out.Trim();
    }

    private sealed class FixedMinerRegistry : ReceiveActor
    {
        public FixedMinerRegistry(Address miner) =>
            Receive<PickMiner>(pick => Sender.Tell(new MinerPicked(pick.TaskId, pick.Model, miner, 1, 1)));
    }

    private sealed class MinerStandIn : ReceiveActor
    {
        public MinerStandIn()
        {
            Receive<DispatchTask>(d =>
            {
                var prompt = Encoding.UTF8.GetString(d.Input);
                if (prompt.Contains(FailWord, StringComparison.Ordinal))
                {
                    Sender.Tell(new ReportFailure(d.TaskId, d.Miner, d.Attempt, FailReason));
                    return;
                }
                // A held task's model runs and never finishes.
                Sender.Tell(new AttemptStarted(d.TaskId, d.Miner, d.Attempt));
                if (!prompt.Contains(HoldWord, StringComparison.Ordinal))
                {
                    Sender.Tell(new ReportResult(d.TaskId, d.Miner, d.Attempt, "0xd1", Png, "0xsig"));
                }
            });
            ReceiveAny(_ => { });
        }
    }
}
