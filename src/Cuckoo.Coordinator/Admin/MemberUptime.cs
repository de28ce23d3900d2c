using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;

namespace Cuckoo.Coordinator.Admin;

/// <summary>
/// When each member became Up, as this node saw it: Akka's membership carries no time. One per actor system; the
/// first <see cref="Get"/> starts watching, so call it when the system starts to cover the members that join from
/// then on (<see cref="AdminEndpoints.MapAdmin"/> calls it once the host has started).
/// </summary>
public sealed class MemberUptime : IExtension
{
    private readonly ConcurrentDictionary<UniqueAddress, DateTimeOffset> _upSince = new();

    internal MemberUptime(ExtendedActorSystem system)
    {
        var tracker = system.SystemActorOf(MemberUptimeTracker.Props(this, TimeProvider.System), "cuckoo-admin-member-uptime");
        // Subscribed here, not in the tracker's PreStart: a Join told right after Get then reaches the cluster after
        // the subscription, so the MemberUp it causes is not missed.
        Akka.Cluster.Cluster.Get(system).Subscribe(
            tracker, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));
    }

    public static MemberUptime Get(ActorSystem system) => system.WithExtension<MemberUptime, MemberUptimeProvider>();

    /// <summary>Null when the member was already Up when watching began, or is gone.</summary>
    public DateTimeOffset? UpSince(UniqueAddress member) => _upSince.TryGetValue(member, out var at) ? at : null;

    internal void Up(UniqueAddress member, DateTimeOffset at) => _upSince.TryAdd(member, at);

    internal void Removed(UniqueAddress member) => _upSince.TryRemove(member, out _);
}

/// <summary>Creates <see cref="MemberUptime"/> for Akka's extension registry.</summary>
public sealed class MemberUptimeProvider : ExtensionIdProvider<MemberUptime>
{
    public override MemberUptime CreateExtension(ExtendedActorSystem system) => new(system);
}
