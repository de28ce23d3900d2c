using Cuckoo.Cluster.Downing;
using Xunit;

namespace Cuckoo.Cluster.Tests.Downing;

public sealed class DowningDecisionTests
{
    public static TheoryData<string, bool, bool, int, int, int, bool, bool, DowningVerdict> Table() => new()
    {
        // case, self coordinator, self oldest reachable coordinator, reachable coordinators, unreachable coordinators,
        // unreachable members, oldest coordinator reachable, lease → verdict
        { "all reachable, coordinator", true, true, 2, 0, 0, true, true, DowningVerdict.None },
        { "all reachable, miner", false, false, 1, 0, 0, true, false, DowningVerdict.None },
        { "miner that reaches a coordinator", false, false, 1, 0, 1, true, false, DowningVerdict.None },
        { "miner that reaches a coordinator, others unreachable", false, false, 1, 1, 2, false, true, DowningVerdict.None },
        { "miner that reaches no coordinator", false, false, 0, 1, 1, false, false, DowningVerdict.DownSelf },
        { "miner that reaches no coordinator, lease configured", false, false, 0, 2, 3, false, true, DowningVerdict.DownSelf },
        { "coordinator, not the oldest of its side", true, false, 2, 0, 1, true, false, DowningVerdict.None },
        { "coordinator, not the oldest, coordinators on both sides", true, false, 2, 1, 1, true, true, DowningVerdict.None },
        { "coordinator, not the oldest, minority", true, false, 2, 3, 3, false, false, DowningVerdict.None },
        { "oldest coordinator, only miners unreachable", true, true, 1, 0, 3, true, false, DowningVerdict.DownUnreachable },
        { "oldest coordinator, only miners unreachable, lease not needed", true, true, 2, 0, 1, true, true, DowningVerdict.DownUnreachable },
        { "the oldest died, the next one takes over the miners", true, true, 1, 0, 2, true, true, DowningVerdict.DownUnreachable },
        { "both sides, lease, majority here", true, true, 2, 1, 1, true, true, DowningVerdict.AskLease },
        { "both sides, lease, minority here", true, true, 1, 2, 2, false, true, DowningVerdict.AskLease },
        { "both sides, lease, tie", true, true, 1, 1, 1, false, true, DowningVerdict.AskLease },
        { "both sides, no lease, majority here", true, true, 2, 1, 1, false, false, DowningVerdict.DownUnreachable },
        { "both sides, no lease, majority here with the oldest", true, true, 3, 1, 4, true, false, DowningVerdict.DownUnreachable },
        { "both sides, no lease, minority here", true, true, 1, 2, 2, false, false, DowningVerdict.DownReachable },
        { "both sides, no lease, minority here although the oldest is here", true, true, 1, 2, 2, true, false, DowningVerdict.DownReachable },
        { "both sides, no lease, tie, oldest here", true, true, 1, 1, 1, true, false, DowningVerdict.DownUnreachable },
        { "both sides, no lease, tie, oldest there", true, true, 1, 1, 3, false, false, DowningVerdict.DownReachable },
        { "both sides, no lease, tie of two, oldest here", true, true, 2, 2, 2, true, false, DowningVerdict.DownUnreachable },
        { "both sides, no lease, tie of two, oldest there", true, true, 2, 2, 2, false, false, DowningVerdict.DownReachable },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void DowningDecision_decides_each_case(string @case, bool selfIsCoordinator, bool selfIsOldest, int reachableCoordinators,
        int unreachableCoordinators, int unreachableMembers, bool oldestReachable, bool hasLease, DowningVerdict expected)
    {
        var verdict = DowningDecision.Decide(selfIsCoordinator, selfIsOldest, reachableCoordinators, unreachableCoordinators,
            unreachableMembers, oldestReachable, hasLease);

        Assert.True(expected == verdict, $"{@case}: expected {expected}, got {verdict}");
    }

    [Theory]
    [InlineData(1, 2, true, true)]
    [InlineData(1, 2, false, true)]
    [InlineData(2, 1, true, false)]
    [InlineData(2, 1, false, false)]
    [InlineData(1, 1, false, true)]
    [InlineData(1, 1, true, false)]
    [InlineData(3, 3, false, true)]
    [InlineData(3, 3, true, false)]
    public void IsMinority_is_fewer_coordinators_or_a_tie_without_the_oldest(int reachable, int unreachable, bool oldestReachable, bool expected) =>
        Assert.Equal(expected, DowningDecision.IsMinority(reachable, unreachable, oldestReachable));

    [Fact]
    public void Without_a_lease_exactly_one_side_of_every_coordinator_split_survives()
    {
        // Both sides decide on their own views of the same partition; they must never both keep, or both give up, the cluster.
        for (var here = 1; here <= 5; here++)
        {
            for (var there = 1; there <= 5; there++)
            {
                foreach (var oldestHere in new[] { true, false })
                {
                    var mine = DowningDecision.Decide(true, true, here, there, there, oldestHere, hasLease: false);
                    var theirs = DowningDecision.Decide(true, true, there, here, here, !oldestHere, hasLease: false);

                    Assert.Equal(
                        new[] { DowningVerdict.DownUnreachable, DowningVerdict.DownReachable },
                        new[] { mine, theirs }.Order().ToArray());
                    // The survivor is the side that asks for the lease first when there is one.
                    Assert.Equal(mine == DowningVerdict.DownReachable, DowningDecision.IsMinority(here, there, oldestHere));
                    Assert.NotEqual(DowningDecision.IsMinority(here, there, oldestHere), DowningDecision.IsMinority(there, here, !oldestHere));
                }
            }
        }
    }
}
