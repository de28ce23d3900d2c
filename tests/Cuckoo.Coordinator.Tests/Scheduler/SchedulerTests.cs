using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Xunit;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Tests.Scheduler;

public sealed class SchedulerTests : SchedulerTestBase
{
    [Fact]
    public void Scheduler_accepts_a_task_only_once_its_event_is_in_the_journal()
    {
        var (scheduler, _, _) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        var accepted = ExpectMsg<TaskAccepted>(Wait);
        Assert.Equal("t1", accepted.TaskId);
        Assert.IsType<TaskStatus.Queued>(accepted.Status);
        Assert.False(accepted.Duplicate);
        Assert.Equal(1, JournalRows());
    }

    [Fact]
    public void Scheduler_assigns_to_the_registrys_pick_and_records_its_result()
    {
        var (scheduler, registry, dispatcher) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var pick = registry.ExpectMsg<PickMiner>(Wait);
        Assert.Equal(("t1", "echo"), (pick.TaskId, pick.Model));
        Assert.Null(pick.Exclude);
        registry.Reply(new MinerPicked("t1", "echo", Miner(1), 1, 1));
        var dispatch = dispatcher.ExpectMsg<DispatchTask>(Wait);
        Assert.Equal((Miner(1), 1), (dispatch.Miner, dispatch.Attempt));

        scheduler.Tell(new GetTask("t1"), TestActor);
        Assert.Equal(new TaskStatus.Assigned("t1", Miner(1), 1), ExpectMsg<TaskStatus>(Wait));

        scheduler.Tell(Result(dispatch), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        scheduler.Tell(new GetTask("t1"), TestActor);
        var completed = ExpectMsg<TaskStatus.Completed>(Wait);
        Assert.Equal(("0xd1", "0xsig", Miner(1)), (completed.Result.OutputDigest, completed.Result.Signature, completed.Result.Miner));
    }

    [Fact]
    public void Scheduler_shows_an_attempt_running_once_its_miner_says_so_and_tells_subscribers()
    {
        var (scheduler, registry, dispatcher) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var subscriber = CreateTestProbe();
        scheduler.Tell(new SubscribeTask("t1", subscriber.Ref), TestActor);
        subscriber.ExpectMsg<TaskStatus.Queued>(Wait);
        var dispatch = PickAndDispatch(registry, dispatcher, Miner(1));
        Assert.Equal(new TaskStatus.Assigned("t1", Miner(1), 1), subscriber.ExpectMsg<TaskStatus>(Wait));

        // Another miner, another attempt, an unknown task: nothing changes.
        scheduler.Tell(new AttemptStarted("t1", Miner(2), 1), TestActor);
        scheduler.Tell(new AttemptStarted("t1", Miner(1), 2), TestActor);
        scheduler.Tell(new AttemptStarted("nope", Miner(1), 1), TestActor);
        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        scheduler.Tell(new AttemptStarted("t1", Miner(1), 1), TestActor);
        Assert.Equal(new TaskStatus.Assigned("t1", Miner(1), 1, Running: true), subscriber.ExpectMsg<TaskStatus>(Wait));
        scheduler.Tell(new AttemptStarted("t1", Miner(1), 1), TestActor);
        subscriber.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        scheduler.Tell(new GetTask("t1"), TestActor);
        Assert.Equal(new TaskStatus.Assigned("t1", Miner(1), 1, Running: true), ExpectMsg<TaskStatus>(Wait));

        scheduler.Tell(Result(dispatch), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        subscriber.ExpectMsg<TaskStatus.Completed>(Wait);
    }

    [Fact]
    public void Scheduler_reassigns_to_another_miner_after_the_deadline()
    {
        var (scheduler, registry, dispatcher) = Start();
        scheduler.Tell(Task("t1", deadline: TimeSpan.FromSeconds(5)), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var first = PickAndDispatch(registry, dispatcher, Miner(1));

        Advance(Sys, TimeSpan.FromSeconds(6));
        var revoke = dispatcher.ExpectMsg<RevokeTask>(Wait);
        Assert.Equal((Miner(1), 1), (revoke.Miner, revoke.Attempt));
        var pick = registry.ExpectMsg<PickMiner>(Wait);
        Assert.Equal([Miner(1)], pick.Exclude!);
        registry.Reply(new MinerPicked("t1", "echo", Miner(2), 1, 1));
        var second = dispatcher.ExpectMsg<DispatchTask>(Wait);
        Assert.Equal((Miner(2), 2), (second.Miner, second.Attempt));

        // The first miner is late: its attempt is no longer the task's.
        scheduler.Tell(Result(first), TestActor);
        ExpectMsg<ResultRefused>(Wait);
    }

    [Fact]
    public void Scheduler_reassigns_when_miner_dies()
    {
        var (scheduler, registry, dispatcher) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        scheduler.Tell(Task("t2"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        ExpectMsg<TaskAccepted>(Wait);
        PickAndDispatch(registry, dispatcher, Miner(1));
        PickAndDispatch(registry, dispatcher, Miner(1));

        scheduler.Tell(new MinerLost(Miner(1)), TestActor);
        var picks = new[] { registry.ExpectMsg<PickMiner>(Wait), registry.ExpectMsg<PickMiner>(Wait) };
        Assert.Equal(["t1", "t2"], picks.Select(p => p.TaskId).Order());
        Assert.All(picks, p => Assert.Contains(Miner(1), p.Exclude!));
        foreach (var pick in picks)
        {
            registry.Reply(new MinerPicked(pick.TaskId, "echo", Miner(2), 1, 1));
        }
        dispatcher.FishForMessage(m => m is DispatchTask { Miner: var miner, Attempt: 2 } && miner == Miner(2), Wait);
    }

    [Fact]
    public void Scheduler_fails_a_task_with_a_reason_after_max_attempts()
    {
        var (scheduler, registry, dispatcher) = Start(Settings with { MaxAttempts = 2 });
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        scheduler.Tell(new SubscribeTask("t1", TestActor), TestActor);
        ExpectMsg<TaskStatus.Queued>(Wait);
        var first = PickAndDispatch(registry, dispatcher, Miner(1));
        ExpectMsg<TaskStatus.Assigned>(Wait);
        scheduler.Tell(new ReportFailure("t1", first.Miner, first.Attempt, "out of memory"), TestActor);
        ExpectMsg<TaskStatus.Queued>(Wait);
        var second = PickAndDispatch(registry, dispatcher, Miner(2));
        ExpectMsg<TaskStatus.Assigned>(Wait);
        scheduler.Tell(new MinerLost(second.Miner), TestActor);

        var failed = ExpectMsg<TaskStatus.Failed>(Wait);
        Assert.Contains("2 attempts", failed.Reason);
        Assert.Contains("lost", failed.Reason);
        scheduler.Tell(new GetTask("t1"), TestActor);
        ExpectMsg<TaskStatus.Failed>(Wait);
    }

    [Fact]
    public void Scheduler_fails_a_task_no_miner_takes_within_the_queue_wait()
    {
        var (scheduler, registry, _) = Start(Settings with { MaxQueueWait = TimeSpan.FromSeconds(3) });
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        scheduler.Tell(new SubscribeTask("t1", TestActor), TestActor);
        ExpectMsg<TaskStatus.Queued>(Wait);
        for (var i = 0; i < 3; i++)
        {
            var pick = registry.ExpectMsg<PickMiner>(Wait);
            registry.Reply(new NoMinerAvailable(pick.TaskId, pick.Model, NoMinerReason.UnknownModel));
            Advance(Sys, TimeSpan.FromSeconds(1.1));
        }
        var failed = ExpectMsg<TaskStatus.Failed>(Wait);
        Assert.Contains("No admitted miner serves model 'echo'", failed.Reason);
    }

    [Fact]
    public void Scheduler_asks_again_for_a_waiting_task_as_soon_as_credits_are_freed()
    {
        var (scheduler, registry, _) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var pick = registry.ExpectMsg<PickMiner>(Wait);
        registry.Reply(new NoMinerAvailable(pick.TaskId, pick.Model, NoMinerReason.NoneEligible));

        // Virtual time stands still: only the freed credits can bring the second pick before the 1 s retry.
        scheduler.Tell(new CreditsFreed(["other-model"], 1), TestActor);
        registry.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        scheduler.Tell(new CreditsFreed([pick.Model], 1), TestActor);
        Assert.Equal("t1", registry.ExpectMsg<PickMiner>(Wait).TaskId);
    }

    [Fact]
    public void Scheduler_gives_freed_credits_to_the_tasks_that_waited_longest()
    {
        var (scheduler, registry, dispatcher) = Start();
        // A first wave runs and finishes, so that the live tasks' dictionary has free slots for newer tasks to take.
        var first = Enumerable.Range(0, 4).Select(i => $"early-{i}").ToArray();
        foreach (var id in first)
        {
            scheduler.Tell(Task(id), TestActor);
            ExpectMsg<TaskAccepted>(Wait);
        }
        var runs = first.Select(_ => PickAndDispatch(registry, dispatcher, Miner(1))).ToList();

        // Then tasks the registry has no miner for, oldest w-0, while the first wave completes and new ones come in.
        void Waits(string id)
        {
            scheduler.Tell(Task(id), TestActor);
            ExpectMsg<TaskAccepted>(Wait);
            var pick = registry.ExpectMsg<PickMiner>(Wait);
            Assert.Equal(id, pick.TaskId);
            registry.Reply(new NoMinerAvailable(pick.TaskId, pick.Model, NoMinerReason.NoneEligible));
        }
        Waits("w-0");
        Waits("w-1");
        foreach (var run in runs)
        {
            scheduler.Tell(Result(run), TestActor);
            ExpectMsg<ResultAccepted>(Wait);
        }
        Waits("w-2");
        Waits("w-3");

        scheduler.Tell(new CreditsFreed(["echo"], 3), TestActor);
        var woken = new[] { registry.ExpectMsg<PickMiner>(Wait), registry.ExpectMsg<PickMiner>(Wait), registry.ExpectMsg<PickMiner>(Wait) };
        Assert.Equal(["w-0", "w-1", "w-2"], woken.Select(p => p.TaskId));
        registry.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // One woken task found no miner again: it keeps its place ahead of w-3.
        scheduler.Tell(new NoMinerAvailable("w-1", "echo", NoMinerReason.NoneEligible), registry.Ref);
        scheduler.Tell(new CreditsFreed(["echo"], 1), TestActor);
        Assert.Equal("w-1", registry.ExpectMsg<PickMiner>(Wait).TaskId);
    }

    [Fact]
    public void Scheduler_refuses_a_result_from_a_miner_not_assigned()
    {
        var (scheduler, registry, dispatcher) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var dispatch = PickAndDispatch(registry, dispatcher, Miner(1));

        scheduler.Tell(Result(dispatch) with { Miner = Miner(7) }, TestActor);
        Assert.Contains("not the miner", ExpectMsg<ResultRefused>(Wait).Reason);
        scheduler.Tell(Result(dispatch) with { Attempt = 2 }, TestActor);
        ExpectMsg<ResultRefused>(Wait);
        scheduler.Tell(new GetTask("t1"), TestActor);
        ExpectMsg<TaskStatus.Assigned>(Wait);
    }

    [Fact]
    public void Scheduler_records_a_duplicate_result_once_and_tells_the_app_once()
    {
        var (scheduler, registry, dispatcher) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var app = CreateTestProbe();
        scheduler.Tell(new SubscribeTask("t1", app.Ref), TestActor);
        app.ExpectMsg<TaskStatus.Queued>(Wait);
        var dispatch = PickAndDispatch(registry, dispatcher, Miner(1));
        app.ExpectMsg<TaskStatus.Assigned>(Wait);

        scheduler.Tell(Result(dispatch), TestActor);
        scheduler.Tell(Result(dispatch, digest: "0xother"), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        Assert.Equal("already completed", ExpectMsg<ResultRefused>(Wait).Reason);
        Assert.Equal("0xd1", app.ExpectMsg<TaskStatus.Completed>(Wait).Result.OutputDigest);

        // A fence: once GetTask is answered, a second completion would already have been sent.
        scheduler.Tell(new GetTask("t1"), app.Ref);
        app.ExpectMsg<TaskStatus.Completed>(Wait);
        app.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(3, JournalRows());
    }

    [Fact]
    public void Scheduler_answers_a_duplicate_submission_with_the_current_state()
    {
        var (scheduler, registry, dispatcher) = Start();
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        PickAndDispatch(registry, dispatcher, Miner(1));

        scheduler.Tell(Task("t1"), TestActor);
        var again = ExpectMsg<TaskAccepted>(Wait);
        Assert.True(again.Duplicate);
        Assert.Equal(new TaskStatus.Assigned("t1", Miner(1), 1), again.Status);
        scheduler.Tell(Task("t1", app: "app-2"), TestActor);
        Assert.Equal(RejectReason.IdInUse, ExpectMsg<TaskRejected>(Wait).Reason);
        Assert.Equal(2, JournalRows());
    }

    [Fact]
    public void Scheduler_rejects_when_the_queue_is_full_with_a_retry_hint()
    {
        var (scheduler, _, _) = Start(Settings with { MaxQueue = 2 });
        scheduler.Tell(Task("t1", app: "a"), TestActor);
        scheduler.Tell(Task("t2", app: "b"), TestActor);
        scheduler.Tell(Task("t3", app: "c"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        ExpectMsg<TaskAccepted>(Wait);
        var rejected = ExpectMsg<TaskRejected>(Wait);
        Assert.Equal((RejectReason.QueueFull, "t3"), (rejected.Reason, rejected.TaskId));
        Assert.Equal(TimeSpan.FromSeconds(1), rejected.RetryAfter);
    }

    [Fact]
    public void Scheduler_enforces_the_per_app_quota_until_a_task_finishes()
    {
        var (scheduler, registry, dispatcher) = Start(Settings with { PerAppQuota = 1 });
        scheduler.Tell(Task("t1", app: "a"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        scheduler.Tell(Task("t2", app: "a"), TestActor);
        Assert.Equal(RejectReason.QuotaExceeded, ExpectMsg<TaskRejected>(Wait).Reason);
        scheduler.Tell(Task("t3", app: "b"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);

        var dispatch = PickAndDispatch(registry, dispatcher, Miner(1));
        scheduler.Tell(Result(dispatch), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        var next = dispatch.TaskId == "t1" ? Task("t2", app: "a") : Task("t4", app: "b");
        scheduler.Tell(next, TestActor);
        Assert.False(ExpectMsg<TaskAccepted>(Wait).Duplicate);
    }
}
