using Akka.Actor;
using Akka.Configuration;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Transport;

namespace Cuckoo.Cluster.Benchmarks;

[WireManifest("bench.ping.v1")]
public sealed record BenchPing(long Seq, string Payload) : IWireMessage;

[WireManifest("bench.pong.v1")]
public sealed record BenchPong(long Seq, string Payload) : IWireMessage;

/// <summary>
/// Two ActorSystems (coordinator and miner) over loopback with pinned mutual TLS and <see cref="WireMessageSerializer"/>:
/// each pair is a client actor on the miner keeping <c>window</c> pings in flight to its echo actor on the coordinator.
/// All pairs share the one association between the two systems, as Akka.Remote does.
/// </summary>
public sealed class AkkaPingPong : IAsyncDisposable
{
    private const string Hocon = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          coordinated-shutdown.run-by-actor-system-terminate = off
        }
        """;

    private readonly ActorSystem _coordinator;
    private readonly ActorSystem _miner;
    private int _runs;

    private AkkaPingPong(ActorSystem coordinator, ActorSystem miner)
    {
        _coordinator = coordinator;
        _miner = miner;
    }

    public static AkkaPingPong Start()
    {
        // Not disposed here: the transport reads the certificates at every handshake for the systems' lifetime.
        var coordinatorCert = NodeCertificate.CreateSelfSigned("bench-coordinator");
        var minerCert = NodeCertificate.CreateSelfSigned("bench-miner");
        var coordinatorPeers = new PeerAllowList([NodeCertificate.ThumbprintOf(minerCert)]);
        var minerPeers = new PeerAllowList([NodeCertificate.ThumbprintOf(coordinatorCert)]);
        var config = ConfigurationFactory.ParseString(Hocon).WithFallback(ConfigurationFactory.ParseString(WireSerialization.Hocon));
        return new AkkaPingPong(
            ActorSystem.Create("coordinator", ClusterTls.SystemSetup(config, coordinatorCert, coordinatorPeers)),
            ActorSystem.Create("miner", ClusterTls.SystemSetup(config, minerCert, minerPeers)));
    }

    /// <summary>Bytes of one ping as <see cref="WireMessageSerializer"/> writes it (the raw baseline sends frames this size).</summary>
    public int PayloadBytes(BenchPing ping) => _miner.Serialization.Serialize(ping).Length;

    /// <summary>Starts the pairs; they run until <paramref name="stop"/> is cancelled, then drain and complete the task.</summary>
    public async Task<Task> RunAsync(int pairs, int window, string payload, Counters counters, CancellationToken stop)
    {
        var address = ((ExtendedActorSystem)_coordinator).Provider.DefaultAddress;
        var run = Interlocked.Increment(ref _runs);
        var drained = new List<Task>();
        for (var pair = 0; pair < pairs; pair++)
        {
            var name = $"echo-{run}-{pair}";
            _coordinator.ActorOf(Props.Create(() => new Echo()), name);
            var identity = await _miner.ActorSelection($"{address}/user/{name}").Ask<ActorIdentity>(new Identify(name), TimeSpan.FromSeconds(20));
            var echo = identity.Subject ?? throw new InvalidOperationException($"The echo actor {name} could not be reached over TLS.");
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained.Add(done.Task);
            var index = pair;
            _miner.ActorOf(Props.Create(() => new Client(index, echo, window, payload, counters, stop, done)));
        }

        return Task.WhenAll(drained);
    }

    public async ValueTask DisposeAsync()
    {
        await _miner.Terminate();
        await _coordinator.Terminate();
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<BenchPing>(ping => Sender.Tell(new BenchPong(ping.Seq, ping.Payload)));
    }

    private sealed class Client : ReceiveActor
    {
        private long _seq;
        private int _inFlight;

        public Client(int pair, IActorRef echo, int window, string payload, Counters counters, CancellationToken stop, TaskCompletionSource done)
        {
            Receive<BenchPong>(_ =>
            {
                counters.Add(pair, 1);
                if (!stop.IsCancellationRequested)
                {
                    echo.Tell(new BenchPing(_seq++, payload));
                }
                else if (--_inFlight == 0)
                {
                    done.TrySetResult();
                    Context.Stop(Self);
                }
            });

            for (; _inFlight < window; _inFlight++)
            {
                echo.Tell(new BenchPing(_seq++, payload), Self);
            }
        }
    }
}
