using Akka.Actor;
using Akka.Cluster;

namespace Cuckoo.Coordinator.Admin;

/// <summary>Feeds <see cref="MemberUptime"/> from the cluster's MemberUp and MemberRemoved events (it subscribes this actor).</summary>
internal sealed class MemberUptimeTracker : ReceiveActor
{
    public MemberUptimeTracker(MemberUptime uptime, TimeProvider time)
    {
        // The snapshot's members were Up before we watched: their time is unknown, so they get none.
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<ClusterEvent.MemberUp>(up => uptime.Up(up.Member.UniqueAddress, time.GetUtcNow()));
        Receive<ClusterEvent.MemberRemoved>(removed => uptime.Removed(removed.Member.UniqueAddress));
    }

    public static Props Props(MemberUptime uptime, TimeProvider time) => Akka.Actor.Props.Create(() => new MemberUptimeTracker(uptime, time));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
