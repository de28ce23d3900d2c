namespace Cuckoo.Cluster.Downing;

/// <summary>What one node does once reachability has been stable for stable-after.</summary>
public enum DowningVerdict
{
    /// <summary>Nothing: all reachable, or another node decides.</summary>
    None,

    /// <summary>Down every unreachable member: this side survives.</summary>
    DownUnreachable,

    /// <summary>Down this side, this node included: the other side survives.</summary>
    DownReachable,

    /// <summary>A miner that reaches no coordinator downs itself (it enrols again once one is back).</summary>
    DownSelf,

    /// <summary>Coordinators are on both sides: the side that acquires the downing lease survives.</summary>
    AskLease,
}

/// <summary>
/// The rule, as a pure function so that it is tested alone. Only coordinators decide, and on each side only the oldest
/// reachable one: miners never down anyone but themselves. Coordinators on one side only: that side keeps the cluster
/// and downs the unreachable. Coordinators on both sides: with a lease (several coordinators on one PostgreSQL) the side
/// that acquires it survives; without one, the side with more coordinators, or on a tie the side with the oldest.
/// </summary>
public static class DowningDecision
{
    /// <param name="selfIsCoordinator">This node has the coordinator role.</param>
    /// <param name="selfIsOldestReachableCoordinator">This node is the oldest coordinator its side reaches.</param>
    /// <param name="reachableCoordinators">Coordinators this side reaches, this node included.</param>
    /// <param name="unreachableCoordinators">Coordinators this side does not reach.</param>
    /// <param name="unreachableMembers">Members of any role this side does not reach.</param>
    /// <param name="oldestCoordinatorIsReachable">The oldest coordinator of the whole cluster is on this side.</param>
    /// <param name="hasLease">A downing lease is configured.</param>
    public static DowningVerdict Decide(
        bool selfIsCoordinator, bool selfIsOldestReachableCoordinator, int reachableCoordinators, int unreachableCoordinators,
        int unreachableMembers, bool oldestCoordinatorIsReachable, bool hasLease)
    {
        if (unreachableMembers == 0)
        {
            return DowningVerdict.None;
        }
        if (!selfIsCoordinator)
        {
            return reachableCoordinators == 0 ? DowningVerdict.DownSelf : DowningVerdict.None;
        }
        if (!selfIsOldestReachableCoordinator)
        {
            return DowningVerdict.None;
        }
        if (unreachableCoordinators == 0)
        {
            return DowningVerdict.DownUnreachable;
        }
        if (hasLease)
        {
            return DowningVerdict.AskLease;
        }
        if (reachableCoordinators != unreachableCoordinators)
        {
            return reachableCoordinators > unreachableCoordinators ? DowningVerdict.DownUnreachable : DowningVerdict.DownReachable;
        }
        return oldestCoordinatorIsReachable ? DowningVerdict.DownUnreachable : DowningVerdict.DownReachable;
    }

    /// <summary>The side that asks for the lease late: fewer coordinators, or as many without the oldest.</summary>
    public static bool IsMinority(int reachableCoordinators, int unreachableCoordinators, bool oldestCoordinatorIsReachable) =>
        reachableCoordinators < unreachableCoordinators || (reachableCoordinators == unreachableCoordinators && !oldestCoordinatorIsReachable);
}
