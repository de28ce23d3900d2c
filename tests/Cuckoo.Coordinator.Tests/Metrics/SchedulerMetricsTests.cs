using Cuckoo.Coordinator.Metrics;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Coordinator.Tests.Scheduler;
using Xunit;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Tests.Metrics;

/// <summary>
/// The scheduler's instruments, on a real journal and virtual time. Each reply waited for comes after the measurements
/// of the step it answers, so no test polls.
/// </summary>
public sealed class SchedulerMetricsTests : SchedulerTestBase
{
    private readonly CoordinatorMetrics _metrics = new();
    private readonly MetricsRecorder _recorder;

    public SchedulerMetricsTests() => _recorder = new MetricsRecorder(_metrics);

    [Fact]
    public void Metrics_count_accepted_rejected_and_completed_tasks_and_time_them()
    {
        // A retry later than the test runs, so that the advances below bring no second pick.
        var (scheduler, registry, dispatcher) = Start(Settings with { PerAppQuota = 1, AssignmentRetry = TimeSpan.FromMinutes(1) }, metrics: _metrics);
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        scheduler.Tell(Task("t2"), TestActor);
        Assert.Equal(RejectReason.QuotaExceeded, ExpectMsg<TaskRejected>(Wait).Reason);
        scheduler.Tell(Task(""), TestActor);
        Assert.Equal(RejectReason.Invalid, ExpectMsg<TaskRejected>(Wait).Reason);
        scheduler.Tell(Task("t1"), TestActor);
        Assert.True(ExpectMsg<TaskAccepted>(Wait).Duplicate);
        Assert.Equal(1, _recorder.Sum(CoordinatorMetrics.Tasks, "outcome=accepted"));
        Assert.Equal(2, _recorder.Sum(CoordinatorMetrics.Tasks, "outcome=rejected"));
        Assert.Equal(1, _recorder.Sum(CoordinatorMetrics.Tasks, "outcome=rejected", "reason=quota_exceeded"));
        Assert.Equal(1, _recorder.Sum(CoordinatorMetrics.Tasks, "outcome=rejected", "reason=invalid"));

        var pick = registry.ExpectMsg<PickMiner>(Wait);
        Advance(Sys, TimeSpan.FromSeconds(2));
        registry.Reply(new MinerPicked(pick.TaskId, pick.Model, Miner(1), 1, 1));
        var dispatch = dispatcher.ExpectMsg<DispatchTask>(Wait);
        Assert.Equal([2.0], _recorder.Values(CoordinatorMetrics.AssignmentLatency));

        Advance(Sys, TimeSpan.FromSeconds(3));
        scheduler.Tell(Result(dispatch), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        Assert.Equal(1, _recorder.Sum(CoordinatorMetrics.Tasks, "outcome=completed"));
        Assert.Equal([5.0], _recorder.Values(CoordinatorMetrics.TaskLatency, "outcome=completed"));
        Assert.Empty(_recorder.Values(CoordinatorMetrics.TaskLatency, "outcome=failed"));
    }

    [Fact]
    public void Metrics_count_reassignments_by_reason_and_the_failure_after_the_last_attempt()
    {
        var (scheduler, registry, dispatcher) = Start(Settings with { MaxAttempts = 4 }, metrics: _metrics);
        scheduler.Tell(Task("t1", deadline: TimeSpan.FromSeconds(5)), TestActor);
        ExpectMsg<TaskAccepted>(Wait);

        PickAndDispatch(registry, dispatcher, Miner(1));
        Advance(Sys, TimeSpan.FromSeconds(6));
        dispatcher.ExpectMsg<RevokeTask>(Wait);
        Assert.Equal(1, _recorder.Sum(CoordinatorMetrics.Reassignments, "reason=deadline"));

        var second = PickAndDispatch(registry, dispatcher, Miner(2));
        scheduler.Tell(new ReportFailure("t1", second.Miner, second.Attempt, "out of memory"), TestActor);
        dispatcher.ExpectMsg<RevokeTask>(Wait);
        Assert.Equal(1, _recorder.Sum(CoordinatorMetrics.Reassignments, "reason=failure"));

        PickAndDispatch(registry, dispatcher, Miner(3));
        scheduler.Tell(new MinerLost(Miner(3)), TestActor);
        dispatcher.ExpectMsg<RevokeTask>(Wait);
        Assert.Equal(1, _recorder.Sum(CoordinatorMetrics.Reassignments, "reason=miner_lost"));

        // The fourth attempt is the last: taken away, the task fails and is no reassignment.
        var last = PickAndDispatch(registry, dispatcher, Miner(4));
        scheduler.Tell(new ReportFailure("t1", last.Miner, last.Attempt, "out of memory"), TestActor);
        scheduler.Tell(new GetTask("t1"), TestActor);
        ExpectMsg<TaskStatus.Failed>(Wait);
        Assert.Equal(3, _recorder.Sum(CoordinatorMetrics.Reassignments));
        Assert.Equal(1, _recorder.Sum(CoordinatorMetrics.Tasks, "outcome=failed"));
        Assert.Equal([6.0], _recorder.Values(CoordinatorMetrics.TaskLatency, "outcome=failed"));
        Assert.Equal(0, _recorder.Sum(CoordinatorMetrics.Tasks, "outcome=completed"));
    }

    [Fact]
    public async Task Metrics_gauge_unfinished_tasks_by_state_and_again_after_a_restart()
    {
        var first = NewSystem("before");
        var (scheduler, registry, dispatcher) = Start(system: first, metrics: _metrics);
        var client = CreateTestProbe(first);
        foreach (var id in new[] { "t1", "t2", "t3" })
        {
            scheduler.Tell(Task(id), client.Ref);
        }
        client.ReceiveN(3, Wait);
        Assert.Equal(Depth(queued: 3, assigned: 0), _recorder.Observe(CoordinatorMetrics.QueueDepth));

        var dispatch = PickAndDispatch(registry, dispatcher, Miner(1));
        Assert.Equal(Depth(queued: 2, assigned: 1), _recorder.Observe(CoordinatorMetrics.QueueDepth));
        PickAndDispatch(registry, dispatcher, Miner(2));
        scheduler.Tell(Result(dispatch), client.Ref);
        client.ExpectMsg<ResultAccepted>(Wait);
        Assert.Equal(Depth(queued: 1, assigned: 1), _recorder.Observe(CoordinatorMetrics.QueueDepth));
        await first.Terminate().WaitAsync(Wait);

        // The same instance, as the node keeps it across restarts: the recovered scheduler sets it from its state.
        var second = NewSystem("after");
        (scheduler, _, _) = Start(system: second, metrics: _metrics);
        client = CreateTestProbe(second);
        scheduler.Tell(new GetTask("t3"), client.Ref);
        client.ExpectMsg<TaskStatus>(Wait);
        Assert.Equal(Depth(queued: 1, assigned: 1), _recorder.Observe(CoordinatorMetrics.QueueDepth));
    }

    private static Dictionary<string, double> Depth(int queued, int assigned) => new()
    {
        ["state=queued"] = queued,
        ["state=assigned"] = assigned,
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _recorder.Dispose();
            _metrics.Dispose();
        }
    }
}
