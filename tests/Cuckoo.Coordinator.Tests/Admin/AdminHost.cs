using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Cuckoo.Coordinator.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Coordinator.Tests.Admin;

/// <summary>
/// A one-node Akka cluster on 127.0.0.1 (port 0, plain TCP) with the admin endpoints on a real Kestrel over HTTPS
/// (self-signed, free port), as the coordinator runs them.
/// </summary>
internal sealed class AdminHost : IAsyncDisposable
{
    public const string SystemName = "cuckoo-admin-test";

    private AdminHost(ActorSystem system, WebApplication app, Uri url, string token, X509Certificate2 certificate, TestMiners miners)
    {
        System = system;
        App = app;
        Url = url;
        Token = token;
        Certificate = certificate;
        Miners = miners;
    }

    public ActorSystem System { get; }

    public WebApplication App { get; }

    public Uri Url { get; }

    public string Token { get; }

    public X509Certificate2 Certificate { get; }

    public string Thumbprint => AdminCertificate.Thumbprint(Certificate);

    public TestMiners Miners { get; }

    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    /// <param name="token">The admin token ("" configures none).</param>
    /// <param name="join">Whether the node joins itself and is Up before the host starts.</param>
    /// <param name="keepAlive">The event streams' keep-alive interval (the default's when null).</param>
    public static async Task<AdminHost> StartAsync(string? token = null, bool join = true, TimeSpan? keepAlive = null)
    {
        token ??= AdminAccessFile.NewToken();
        var system = ActorSystem.Create(SystemName, ClusterConfig("coordinator"));
        // Watching up times from the start, as the node does, so the self member has one.
        MemberUptime.Get(system);
        if (join)
        {
            await JoinAsync(system, Akka.Cluster.Cluster.Get(system).SelfAddress);
        }
        var certificate = AdminCertificate.CreateSelfSigned();
        var miners = new TestMiners();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(system);
        builder.Services.AddSingleton(new AdminOptions { Token = token, EventKeepAlive = keepAlive ?? new AdminOptions().EventKeepAlive });
        builder.Services.AddSingleton<IAdmittedMiners>(miners);
        var app = builder.Build();
        app.MapAdmin();
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new AdminHost(system, app, url, token, certificate, miners);
    }

    /// <summary>A cluster node on 127.0.0.1 with a port the OS picks.</summary>
    public static Config ClusterConfig(string role) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster.roles = ["{{role}}"]
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """);

    /// <summary>Starts a second node of the same system name (so that it may join this one).</summary>
    public static ActorSystem StartNode(string role) => ActorSystem.Create(SystemName, ClusterConfig(role));

    /// <summary>Joins <paramref name="system"/> to <paramref name="seed"/> and waits until it is Up.</summary>
    public static async Task JoinAsync(ActorSystem system, Akka.Actor.Address seed)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(seed);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A client that trusts exactly this host's certificate, with <paramref name="token"/> as its bearer (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var thumbprint = Thumbprint;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && AdminCertificate.Thumbprint(certificate) == thumbprint,
            },
        };
        var client = new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await System.Terminate();
        Certificate.Dispose();
    }
}

/// <summary>What the node's miner registry would say; tests set <see cref="Admitted"/>.</summary>
internal sealed class TestMiners : IAdmittedMiners
{
    public IReadOnlyList<AdmittedMinerView> Admitted { get; set; } = [];

    /// <summary>When set, <see cref="List"/> throws it: a registry with a bug.</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<AdmittedMinerView> List() => Failure is { } failure ? throw failure : Admitted;
}
