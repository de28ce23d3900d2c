using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Transport;
using Cuckoo.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Cuckoo.Cluster.Tests.Transport;

/// <summary>What ClusterTls hands to Akka: suppress-validation is never on, mutual auth always is.</summary>
public sealed class ClusterTlsOptionsTests
{
    [Fact]
    public void The_hosting_options_pin_our_certificate_with_mutual_auth_and_no_suppressed_validation()
    {
        using var own = NodeCertificate.CreateSelfSigned("coordinator");

        var options = ClusterTls.Options(own, new PeerAllowList());

        Assert.Same(own, options.X509Certificate);
        Assert.False(options.SuppressValidation);
        Assert.True(options.RequireMutualAuthentication);
        Assert.False(options.ValidateCertificateHostname);
        Assert.NotNull(options.CustomValidator);
    }

    [Fact]
    public void The_setup_for_a_plain_system_says_the_same()
    {
        using var own = NodeCertificate.CreateSelfSigned("coordinator");

        var setup = ClusterTls.Setup(own, new PeerAllowList());

        Assert.False(setup.SuppressValidation);
        Assert.True(setup.RequireMutualAuthentication);
        Assert.False(setup.ValidateCertificateHostname);
        Assert.NotNull(setup.CustomValidator);
    }

    [Fact]
    public void The_hocon_turns_tls_on_and_leaves_validation_on()
    {
        var tcp = ConfigurationFactory.ParseString(ClusterTls.Hocon).GetConfig("akka.remote.dot-netty.tcp");

        Assert.True(tcp.GetBoolean("enable-ssl"));
        Assert.False(tcp.GetBoolean("ssl.suppress-validation", true));
        Assert.True(tcp.GetBoolean("ssl.require-mutual-authentication", false));
    }

    [Fact]
    public void Hocon_shared_conf_turns_tls_on_and_leaves_validation_on()
    {
        var config = CuckooHocon.Load(new HoconOptions { Directory = RepoHocon(), Environment = new Dictionary<string, string?>() });
        var tcp = config.GetConfig("akka.remote.dot-netty.tcp");

        Assert.True(tcp.GetBoolean("enable-ssl"));
        Assert.False(tcp.GetBoolean("ssl.suppress-validation", true));
        Assert.True(tcp.GetBoolean("ssl.require-mutual-authentication", false));
        Assert.False(tcp.GetBoolean("ssl.validate-certificate-hostname", true));
    }

    [Fact]
    public void A_remoting_node_on_hocon_shared_conf_without_our_setup_refuses_to_start()
    {
        var config = ConfigurationFactory.ParseString("""
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                """)
            .WithFallback(CuckooHocon.Load(new HoconOptions { Directory = RepoHocon(), Environment = new Dictionary<string, string?>() }));

        var error = Assert.ThrowsAny<Exception>(() => ActorSystem.Create("no-certificate", config).Dispose());

        Assert.Contains("Path to SSL certificate was not found", error.ToString());
    }

    [Fact]
    public void A_key_less_certificate_is_refused_in_one_sentence()
    {
        using var own = NodeCertificate.CreateSelfSigned("coordinator");
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(own.RawData);

        var error = Assert.Throws<ArgumentException>(() => ClusterTls.Options(publicOnly, new PeerAllowList()));

        Assert.StartsWith($"The node certificate {NodeCertificate.ThumbprintOf(own)} has no private key", error.Message);
    }

    [Fact]
    public async Task A_node_built_with_akka_hosting_and_the_options_associates_over_pinned_tls()
    {
        using var own = NodeCertificate.CreateSelfSigned("hosted");
        var peers = new PeerAllowList();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("hosted", akka => akka
            .AddHocon(WireSerialization.Hocon, HoconAddMode.Prepend)
            .AddHocon("akka.loglevel = WARNING\nakka.coordinated-shutdown.run-by-actor-system-terminate = off", HoconAddMode.Prepend)
            .WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = 0, EnableSsl = true, Ssl = ClusterTls.Options(own, peers) }));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var setup = system.Settings.Setup.Get<DotNettySslSetup>().Value;
            Assert.False(setup.SuppressValidation);
            Assert.True(setup.RequireMutualAuthentication);
            Assert.NotNull(setup.CustomValidator);

            await using var miner = TlsNode.Start("miner");
            peers.Allow(miner.Thumbprint, "miner");
            miner.Peers.Allow(NodeCertificate.ThumbprintOf(own), "hosted");
            var seen = miner.Probe();
            system.ActorOf(EchoActor.Props(seen.Ref), "echo");
            var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
            var probe = miner.Probe();

            miner.System.ActorSelection($"{address}/user/echo").Tell(new Ping("hosted"), probe.Ref);

            Assert.Equal(new Pong("hosted"), probe.ExpectMsg<Pong>(TimeSpan.FromSeconds(15)));
            Assert.Equal("akka.ssl.tcp", address.Protocol);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    internal static string RepoHocon()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var hocon = Path.Combine(dir.FullName, "hocon");
            if (File.Exists(Path.Combine(hocon, "shared.conf")))
            {
                return hocon;
            }
        }

        throw new DirectoryNotFoundException("No hocon/shared.conf above the test binaries.");
    }
}
