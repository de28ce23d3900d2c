using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;

namespace Cuckoo.Coordinator.Admin;

/// <summary>
/// One <c>/cluster/events</c> client's subscription: the current members as events first, then every membership and
/// reachability change, into a bounded channel the HTTP response drains. Stopped when the request ends.
/// </summary>
internal sealed class ClusterEventRelay : ReceiveActor
{
    private readonly ChannelWriter<ClusterEventView> _writer;

    public ClusterEventRelay(ChannelWriter<ClusterEventView> writer, TimeProvider time)
    {
        _writer = writer;
        Receive<ClusterEvent.IMemberEvent>(e => Push(View(e.GetType().Name, e.Member, (e as ClusterEvent.MemberRemoved)?.PreviousStatus, time)));
        Receive<ClusterEvent.ReachabilityEvent>(e => Push(View(e.GetType().Name, e.Member, null, time)));
    }

    public static Props Props(ChannelWriter<ClusterEventView> writer, TimeProvider time) => Akka.Actor.Props.Create(() => new ClusterEventRelay(writer, time));

    public static ClusterEventView View(string type, Member member, MemberStatus? previous, TimeProvider time) => new(
        type, member.Address.ToString(), member.UniqueAddress.Uid, [.. member.Roles.Order(StringComparer.Ordinal)], member.Status.ToString(), previous?.ToString(),
        time.GetUtcNow());

    protected override void PreStart() => Akka.Cluster.Cluster.Get(Context.System).Subscribe(
        Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        _writer.TryComplete();
    }

    private void Push(ClusterEventView view)
    {
        if (!_writer.TryWrite(view))
        {
            // The client stopped reading; the stream says so and ends rather than drop events silently.
            _writer.TryComplete(new EventStreamOverflowException());
            Context.Stop(Self);
        }
    }
}

/// <summary>Ends an event stream whose client fell <see cref="AdminOptions.EventBuffer"/> events behind.</summary>
internal sealed class EventStreamOverflowException() : Exception("the client fell too far behind the cluster's events");
