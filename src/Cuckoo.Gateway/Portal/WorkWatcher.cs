using Akka.Actor;
using Cuckoo.Coordinator.Scheduler;

namespace Cuckoo.Gateway.Portal;

/// <summary>
/// A local actor on the coordinator node that watches every task step (<see cref="WatchTasks"/> through the leader's
/// proxy) into the <see cref="WorkBoard"/>. Task messages do not cross nodes, so it sees the scheduler only while the
/// leader singleton runs on this node; it asks again every so often, since a restarted scheduler has no watchers (the
/// scheduler keeps a set, so asking twice is harmless).
/// </summary>
public sealed class WorkWatcher : ReceiveActor, IWithTimers
{
    private readonly IActorRef _leader;
    private readonly TimeSpan _rewatchEvery;

    public WorkWatcher(IActorRef leader, WorkBoard board, TimeSpan rewatchEvery)
    {
        _leader = leader;
        _rewatchEvery = rewatchEvery;
        Receive<TaskObserved>(board.Observe);
        Receive<Rewatch>(_ => _leader.Tell(new WatchTasks(Self)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef leader, WorkBoard board, TimeSpan rewatchEvery)
    {
        ArgumentNullException.ThrowIfNull(leader);
        ArgumentNullException.ThrowIfNull(board);
        return Akka.Actor.Props.Create(() => new WorkWatcher(leader, board, rewatchEvery));
    }

    protected override void PreStart()
    {
        _leader.Tell(new WatchTasks(Self));
        Timers.StartPeriodicTimer("rewatch", Rewatch.Instance, _rewatchEvery);
    }

    private sealed class Rewatch
    {
        public static readonly Rewatch Instance = new();
    }
}
