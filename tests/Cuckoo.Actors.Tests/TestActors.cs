using Cuckoo.Actors;

namespace Cuckoo.Actors.Tests;

/// <summary>Replies to every message with the message itself.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender?.Tell(m, Self));

    public static Props Props() => Actors.Props.Create(() => new EchoActor());
}

/// <summary>Forwards every message and every lifecycle hook to a probe; throws on "fail", stops on "stop".</summary>
internal sealed class ReportingActor : ReceiveActor
{
    private readonly IActorRef _probe;
    private readonly string _name;
    private int _received;

    public ReportingActor(IActorRef probe, string name)
    {
        _probe = probe;
        _name = name;
        Receive<string>(m => m == "fail", _ => throw new InvalidOperationException($"{_name} failed"));
        Receive<string>(m => m == "count", _ => Sender?.Tell(_received));
        Receive<Props>(p => Sender?.Tell(Context.ActorOf(p, "child")));
        ReceiveAny(m =>
        {
            _received++;
            _probe.Tell($"{_name}:{m}");
        });
    }

    public static Props Props(IActorRef probe, string name) => Actors.Props.Create(() => new ReportingActor(probe, name));

    protected override void PreStart() => _probe.Tell($"{_name}:started");

    protected override void PostStop() => _probe.Tell($"{_name}:stopped");

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell($"{_name}:pre-restart:{message}");
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell($"{_name}:restarted");
        base.PostRestart(reason);
    }
}

/// <summary>A parent whose children are created by a message and supervised with the strategy it was given.</summary>
internal sealed class SupervisorActor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public SupervisorActor(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<CreateChild>(c => Sender?.Tell(Context.ActorOf(c.Props, c.Name)));
    }

    public static Props Props(SupervisorStrategy strategy) => Actors.Props.Create(() => new SupervisorActor(strategy));

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}

internal sealed record CreateChild(Props Props, string Name);
