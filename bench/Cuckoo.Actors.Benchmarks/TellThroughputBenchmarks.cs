using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Akka.Actor;
using Akka.Configuration;

namespace Cuckoo.Actors.Benchmarks;

/// <summary>
/// Producer→consumer pairs: per pair, one pool task Tells <see cref="MessagesPerOperation"/>/<see cref="Pairs"/> messages to
/// one Akka consumer actor (<c>UntypedActor</c>), which counts them. The baseline has the same shape with a raw single-reader unbounded
/// <see cref="Channel{T}"/> per pair and an async reader loop as the consumer. Both send one preallocated message object,
/// so the figures are per-message costs of the transport, not of allocating messages. Reported time is per message.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class TellThroughputBenchmarks
{
    public const int MessagesPerOperation = 2_000_000;

    private static readonly object Message = new();

    private ActorSystem _system = null!;
    private IActorRef[] _consumers = [];
    private Channel<object>[] _channels = [];
    private CountdownEvent _done = null!;

    [Params(1, 2, 4, 100)]
    public int Pairs { get; set; }

    /// <summary>Messages an actor processes per turn (Akka's default-dispatcher throughput, 100, unless set; only <c>--tell-quick</c> varies it).</summary>
    public int? MailboxThroughput { get; set; }

    private int PerPair => MessagesPerOperation / Pairs;

    [GlobalSetup]
    public void Setup()
    {
        var config = MailboxThroughput is int throughput
            ? ConfigurationFactory.ParseString($"akka.actor.default-dispatcher.throughput = {throughput}")
            : Config.Empty;
        _system = ActorSystem.Create("bench", config.WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING")));
        _done = new CountdownEvent(Pairs);
        var perPair = PerPair;
        _consumers = Enumerable.Range(0, Pairs)
            .Select(i => _system.ActorOf(Props.Create(() => new CountingActor(perPair, () => _done.Signal())), $"consumer-{i}"))
            .ToArray();
        _channels = Enumerable.Range(0, Pairs)
            .Select(_ => Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true }))
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = MessagesPerOperation)]
    public void Channel_pairs()
    {
        var perPair = PerPair;
        var tasks = new Task[Pairs * 2];
        for (var p = 0; p < Pairs; p++)
        {
            var channel = _channels[p];
            tasks[2 * p] = Task.Run(async () =>
            {
                var reader = channel.Reader;
                var received = 0;
                while (received < perPair && await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    while (received < perPair && reader.TryRead(out _)) received++;
                }
            });
            tasks[2 * p + 1] = Task.Run(() =>
            {
                var writer = channel.Writer;
                for (var i = 0; i < perPair; i++) writer.TryWrite(Message);
            });
        }
        Task.WaitAll(tasks);
    }

    [Benchmark(OperationsPerInvoke = MessagesPerOperation)]
    public void Actor_pairs()
    {
        _done.Reset(Pairs);
        var perPair = PerPair;
        var producers = new Task[Pairs];
        for (var p = 0; p < Pairs; p++)
        {
            var consumer = _consumers[p];
            producers[p] = Task.Run(() =>
            {
                for (var i = 0; i < perPair; i++) consumer.Tell(Message, ActorRefs.NoSender);
            });
        }
        Task.WaitAll(producers);
        _done.Wait();
    }

    private sealed class CountingActor(int perRound, Action roundDone) : UntypedActor
    {
        private int _received;

        protected override void OnReceive(object message)
        {
            if (++_received == perRound)
            {
                _received = 0;
                roundDone();
            }
        }
    }
}
