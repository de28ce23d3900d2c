using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Transport;

namespace Cuckoo.Cluster.Tests.Transport;

[WireManifest("test.ping.v1")]
public sealed record Ping(string Text, IActorRef? ReplyTo = null) : IWireMessage;

[WireManifest("test.pong.v1")]
public sealed record Pong(string Text) : IWireMessage;

/// <summary>Answers <see cref="Ping"/> with <see cref="Pong"/> (to ReplyTo when given) and hands anything else to <c>seen</c>.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor(IActorRef seen)
    {
        Receive<Ping>(ping => (ping.ReplyTo ?? Sender).Tell(new Pong(ping.Text)));
        ReceiveAny(other => seen.Forward(other));
    }

    public static Props Props(IActorRef seen) => Akka.Actor.Props.Create(() => new EchoActor(seen));
}

/// <summary>
/// A real ActorSystem with Akka.Remote on 127.0.0.1 and a free port, pinned mutual TLS (or none), and our serializers
/// (or Akka's defaults, to play a peer that does not follow the rules). Starts an <see cref="EchoActor"/> at /user/echo.
/// </summary>
public sealed class TlsNode : IAsyncDisposable
{
    private const string Base = """
        akka {
          loglevel = INFO
          stdout-loglevel = WARNING
          log-dead-letters = off
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          test.single-expect-default = 10s
          coordinated-shutdown.run-by-actor-system-terminate = off
        }
        """;

    private TlsNode(ActorSystem system, X509Certificate2 certificate, PeerAllowList peers)
    {
        System = system;
        Certificate = certificate;
        Peers = peers;
        Seen = Probe();
        Echo = system.ActorOf(EchoActor.Props(Seen.Ref), "echo");
    }

    public ActorSystem System { get; }

    public X509Certificate2 Certificate { get; }

    public PeerAllowList Peers { get; }

    /// <summary>Receives whatever reached /user/echo that was not a Ping.</summary>
    public TestProbe Seen { get; }

    public IActorRef Echo { get; }

    public string Thumbprint => NodeCertificate.ThumbprintOf(Certificate);

    public Address Address => ((ExtendedActorSystem)System).Provider.DefaultAddress;

    /// <param name="serialization">HOCON for serialization; <see cref="WireSerialization.Hocon"/> unless told otherwise.</param>
    public static TlsNode Start(string name, X509Certificate2? certificate = null, PeerAllowList? peers = null,
        bool tls = true, string? serialization = null, string? extra = null, params Setup[] setups)
    {
        certificate ??= NodeCertificate.CreateSelfSigned(name);
        peers ??= new PeerAllowList();
        var config = ConfigurationFactory.ParseString(extra ?? string.Empty)
            .WithFallback(ConfigurationFactory.ParseString(Base))
            .WithFallback(ConfigurationFactory.ParseString(serialization ?? WireSerialization.Hocon));
        var setup = tls
            ? ClusterTls.SystemSetup(config, certificate, peers, setups)
            : ActorSystemSetup.Create([BootstrapSetup.Create().WithConfig(config), .. setups]);
        return new TlsNode(ActorSystem.Create(name, setup), certificate, peers);
    }

    /// <summary>Admits each other's certificates, as enrolment would.</summary>
    public static void Admit(TlsNode a, TlsNode b)
    {
        a.Peers.Allow(b.Thumbprint, b.System.Name);
        b.Peers.Allow(a.Thumbprint, a.System.Name);
    }

    public TestProbe Probe() => new(System, new XunitAssertions());

    public ActorSelection EchoOf(TlsNode other, string scheme = "akka.ssl.tcp") =>
        System.ActorSelection(new RootActorPath(new Address(scheme, other.System.Name, "127.0.0.1", other.Address.Port)) / "user" / "echo");

    /// <summary>Identifies the other node's echo actor over the wire; null when the node cannot be reached.</summary>
    public IActorRef? Identify(TlsNode other, TestProbe probe, TimeSpan wait, string scheme = "akka.ssl.tcp")
    {
        EchoOf(other, scheme).Tell(new Identify(other.System.Name), probe.Ref);
        return probe.ExpectMsg<ActorIdentity>(wait).Subject;
    }

    public async ValueTask DisposeAsync() => await System.Terminate();
}
