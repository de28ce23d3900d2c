using Cuckoo.Chain;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Gateway.Portal;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Gateway.Tests;

public sealed class WorkBoardTests
{
    private static readonly Address Miner = Address.Parse("0xbb00000000000000000000000000000000000001");

    [Fact]
    public void An_attempt_seen_assigned_and_then_running_counts_as_one_assignment()
    {
        var board = new WorkBoard(new PortalOptions());
        var at = DateTimeOffset.UnixEpoch;
        void See(TaskStatus status) => board.Observe(new TaskObserved("app-1", "cuckoo-cppn", status, at, at));

        See(new TaskStatus.Queued("t1", 0));
        See(new TaskStatus.Assigned("t1", Miner, 1));
        See(new TaskStatus.Assigned("t1", Miner, 1, Running: true));
        var summary = board.Snapshot().Summary;
        Assert.Equal([new MinerAssignments(Miner.ToString(), 1)], summary.Assignments);
        Assert.Equal((0, 1), (summary.Counts.Queued, summary.Counts.Running));

        // Given to the miner again after a failure: a second assignment.
        See(new TaskStatus.Queued("t1", 1));
        See(new TaskStatus.Assigned("t1", Miner, 2));
        Assert.Equal(2, board.Snapshot().Summary.Assignments.Single().Count);
    }
}
