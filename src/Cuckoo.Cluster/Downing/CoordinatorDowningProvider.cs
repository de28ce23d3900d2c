using Akka.Actor;
using Akka.Cluster;

namespace Cuckoo.Cluster.Downing;

/// <summary>
/// Akka.Cluster's downing hook (<c>akka.cluster.downing-provider-class</c>), in place of Akka's split-brain resolver. Why
/// ours: Akka's resolver acts on the cluster leader, the member with the lowest address, which may be a miner, and its
/// lease-majority strategy would have that miner take a PostgreSQL lease; and keep-oldest or keep-majority among two
/// coordinators keeps the oldest even when it is the one that died. See <see cref="DowningDecision"/> for the rule.
/// </summary>
public sealed class CoordinatorDowningProvider(ActorSystem system, Akka.Cluster.Cluster cluster) : IDowningProvider
{
    private readonly CoordinatorDowningSettings _settings = CoordinatorDowningSettings.From(system.Settings.Config);

    /// <summary>Singletons of a downed side move only after this margin, time for the downed side to stop its own (as Akka's resolver).</summary>
    public TimeSpan DownRemovalMargin => _settings.StableAfter;

    public Props DowningActorProps => CoordinatorDowning.Props(_settings, cluster);
}
