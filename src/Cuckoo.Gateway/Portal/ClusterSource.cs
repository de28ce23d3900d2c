using Akka.Actor;
using Cuckoo.Coordinator.Admin;

namespace Cuckoo.Gateway.Portal;

/// <summary>The cluster's members with what each miner serves (<c>GET /portal/api/cluster</c>): Akka's view, the admitted miners, the registry's free credits.</summary>
public sealed class ClusterSource(ActorSystem system, IAdmittedMiners admitted, GatewayScheduler scheduler, GatewayOptions gateway, TimeProvider time)
{
    public async Task<ClusterView> GetAsync(CancellationToken cancellationToken)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var miners = admitted.List();
        Dictionary<string, int>? credits = null;
        try
        {
            var list = await scheduler.MinersAsync(null, gateway.ReadyTimeout, cancellationToken).ConfigureAwait(false);
            credits = list.Miners.ToDictionary(m => m.Miner.ToString(), m => m.FreeCredits, StringComparer.OrdinalIgnoreCase);
        }
        catch (TimeoutException)
        {
            // No leader yet (or a busy one): members are still worth showing, credits as unknown.
        }
        var uptime = MemberUptime.Get(system);
        var now = time.GetUtcNow();
        var members = state.Members.Select(m =>
        {
            var since = uptime.UpSince(m.UniqueAddress);
            var reachable = !state.Unreachable.Contains(m);
            var miner = miners.FirstOrDefault(a => SameNode(a.NodeAddress, m.Address));
            return new ClusterMemberView(
                m.Address.ToString(), [.. m.Roles.Order(StringComparer.Ordinal)], reachable ? m.Status.ToString() : "Unreachable", reachable, since,
                since is { } s ? Math.Round((now - s).TotalSeconds, 1) : null,
                miner is null ? null : new ClusterMinerView(
                    miner.Miner.ToString(), miner.Models, miner.Capacity,
                    credits is not null && credits.TryGetValue(miner.Miner.ToString(), out var free) ? free : null,
                    miner.Provider, miner.Weight.ToString(), miner.Jailed));
        }).ToList();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members, now);
    }

    /// <summary>An admission names its node by <c>host:port</c>, or by the whole Akka address.</summary>
    private static bool SameNode(string? text, Akka.Actor.Address address) =>
        text is not null && (text.Contains("://", StringComparison.Ordinal)
            ? string.Equals(text.Trim().TrimEnd('/'), address.ToString(), StringComparison.OrdinalIgnoreCase)
            : string.Equals(text.Trim().Trim('[', ']'), $"{address.Host}:{address.Port}", StringComparison.OrdinalIgnoreCase)
              || string.Equals(text.Trim(), $"[{address.Host}]:{address.Port}", StringComparison.OrdinalIgnoreCase));
}
