using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Akka.Actor;
using Akka.Configuration;

namespace Cuckoo.Actors.Benchmarks;

/// <summary>
/// Mean Ask round trip to an echo actor, against the same request/reply over a raw channel and a reader loop that
/// completes a <see cref="TaskCompletionSource{TResult}"/>. Each operation awaits <see cref="RoundTrips"/> sequential round
/// trips, so the benchmark thread's own blocking wait is amortised. Percentiles come from <c>--ask-latency</c> (see Program).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class AskLatencyBenchmarks
{
    private ActorSystem _system = null!;
    private IActorRef _echo = null!;
    private ChannelEcho _channelEcho = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        _echo = _system.ActorOf(Props.Create(() => new EchoActor()), "echo");
        _channelEcho = new ChannelEcho();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _channelEcho.Dispose();
        await _system.Terminate();
    }

    private const int RoundTrips = 1_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public async Task Channel_request_reply()
    {
        for (var i = 0; i < RoundTrips; i++) await _channelEcho.RequestAsync("ping");
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task Actor_ask()
    {
        for (var i = 0; i < RoundTrips; i++) await _echo.Ask<string>("ping", TimeSpan.FromSeconds(5));
    }
}

internal sealed class EchoActor : UntypedActor
{
    protected override void OnReceive(object message) => Sender.Tell(message, Self);
}

/// <summary>The baseline's "actor": a reader loop on a channel that completes each request's promise with its payload.</summary>
internal sealed class ChannelEcho : IDisposable
{
    private readonly Channel<(object Payload, TaskCompletionSource<object> Reply)> _requests =
        Channel.CreateUnbounded<(object, TaskCompletionSource<object>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Task _loop;

    public ChannelEcho() => _loop = Task.Run(async () =>
    {
        await foreach (var (payload, reply) in _requests.Reader.ReadAllAsync().ConfigureAwait(false)) reply.TrySetResult(payload);
    });

    public Task<object> RequestAsync(object payload)
    {
        var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Writer.TryWrite((payload, reply));
        return reply.Task;
    }

    public void Dispose()
    {
        _requests.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
