using Akka.Actor;
using Akka.TestKit;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Coordinator.Trust;
using Xunit;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Tests.Scheduler;

/// <summary>Tasks that need several agreeing results: the app's <c>verify: k</c> and the coordinator's random audits.</summary>
public sealed class SchedulerVerificationTests : SchedulerTestBase
{
    private static SubmitTask Verified(string id, int k) => Task(id) with { Verify = k };

    /// <summary>Answers picks until <paramref name="miners"/> have each been dispatched one attempt of the task.</summary>
    private static List<DispatchTask> PickEach(TestProbe registry, TestProbe dispatcher, params int[] miners) =>
        [.. miners.Select(n => PickAndDispatch(registry, dispatcher, Miner(n)))];

    [Fact]
    public void Scheduler_runs_a_verified_task_on_k_distinct_miners_at_once_and_completes_when_they_agree()
    {
        var trust = CreateTestProbe();
        var (scheduler, registry, dispatcher) = Start(trust: trust.Ref);
        scheduler.Tell(Verified("t1", 3), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        // All three run side by side, each a new attempt, each pick excluding the miners already given one.
        var runs = new List<DispatchTask>();
        for (var n = 1; n <= 3; n++)
        {
            var pick = registry.ExpectMsg<PickMiner>(Wait);
            Assert.Equal(n - 1, pick.Exclude?.Count ?? 0);
            registry.Reply(new MinerPicked("t1", "echo", Miner(n), 1, 1));
            runs.Add(dispatcher.ExpectMsg<DispatchTask>(Wait));
        }
        Assert.Equal([1, 2, 3], runs.Select(r => r.Attempt));
        registry.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        scheduler.Tell(Result(runs[0]), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        scheduler.Tell(Result(runs[1]), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        scheduler.Tell(new GetTask("t1"), TestActor);
        Assert.IsType<TaskStatus.Assigned>(ExpectMsg<TaskStatus>(Wait));
        scheduler.Tell(Result(runs[2]), TestActor);
        ExpectMsg<ResultAccepted>(Wait);

        var settled = trust.ExpectMsg<TaskSettled>(Wait);
        Assert.Equal(3, settled.Runs.Count);
        Assert.All(settled.Runs, r => Assert.True(r.Agreed));
        Assert.False(settled.Audited);
        Assert.StartsWith("0x", settled.InputDigest);
        scheduler.Tell(new GetTask("t1"), TestActor);
        Assert.Equal(Miner(1), ExpectMsg<TaskStatus.Completed>(Wait).Result.Miner);
    }

    [Fact]
    public void Scheduler_breaks_a_tie_with_another_miner_and_marks_the_minority()
    {
        var trust = CreateTestProbe();
        var (scheduler, registry, dispatcher) = Start(trust: trust.Ref);
        scheduler.Tell(Verified("t1", 2), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var runs = PickEach(registry, dispatcher, 1, 2);
        scheduler.Tell(Result(runs[0], "0xaa"), TestActor);
        scheduler.Tell(Result(runs[1], "0xbb"), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        ExpectMsg<ResultAccepted>(Wait);

        // One against one is no majority: nobody is blamed yet, a third miner runs it.
        trust.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var third = PickAndDispatch(registry, dispatcher, Miner(3));
        Assert.Equal(3, third.Attempt);
        scheduler.Tell(Result(third, "0xaa"), TestActor);
        ExpectMsg<ResultAccepted>(Wait);

        var settled = trust.ExpectMsg<TaskSettled>(Wait);
        Assert.Equal([(Miner(1), true), (Miner(2), false), (Miner(3), true)], settled.Runs.Select(r => (r.Miner, r.Agreed)));
        scheduler.Tell(new GetTask("t1"), TestActor);
        Assert.Equal("0xaa", ExpectMsg<TaskStatus.Completed>(Wait).Result.OutputDigest);
    }

    [Fact]
    public void Scheduler_fails_a_task_whose_results_reach_no_majority_and_blames_nobody()
    {
        var trust = CreateTestProbe();
        var (scheduler, registry, dispatcher) = Start(Settings with { ExtraRuns = 1 }, trust: trust.Ref);
        scheduler.Tell(Verified("t1", 2), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var runs = PickEach(registry, dispatcher, 1, 2);
        scheduler.Tell(Result(runs[0], "0xaa"), TestActor);
        scheduler.Tell(Result(runs[1], "0xbb"), TestActor);
        var third = PickAndDispatch(registry, dispatcher, Miner(3));
        scheduler.Tell(Result(third, "0xcc"), TestActor);
        ReceiveN(3, Wait);

        scheduler.Tell(new GetTask("t1"), TestActor);
        Assert.Contains("no majority", ExpectMsg<TaskStatus.Failed>(Wait).Reason);
        trust.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        registry.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Scheduler_gives_a_crashed_run_to_another_miner_without_blaming_it()
    {
        var trust = CreateTestProbe();
        var (scheduler, registry, dispatcher) = Start(trust: trust.Ref);
        scheduler.Tell(Verified("t1", 2), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var runs = PickEach(registry, dispatcher, 1, 2);
        scheduler.Tell(new ReportFailure("t1", Miner(2), runs[1].Attempt, "CUDA out of memory"));
        Assert.Equal((Miner(2), 2), dispatcher.ExpectMsg<RevokeTask>(Wait) is var r ? (r.Miner, r.Attempt) : default);
        var replacement = PickAndDispatch(registry, dispatcher, Miner(3));
        scheduler.Tell(Result(runs[0]), TestActor);
        scheduler.Tell(Result(replacement), TestActor);
        ReceiveN(2, Wait);

        var settled = trust.ExpectMsg<TaskSettled>(Wait);
        Assert.Equal([Miner(1), Miner(3)], settled.Runs.Select(r => r.Miner));
        Assert.All(settled.Runs, r => Assert.True(r.Agreed));
    }

    [Fact]
    public void Scheduler_audits_the_configured_share_of_tasks_with_dispatches_alike()
    {
        var draws = new Random(7);
        var settings = Settings with { AuditRate = 0.25, Random = draws.NextDouble, PerAppQuota = 1_000 };
        var trust = CreateTestProbe();
        var (scheduler, registry, dispatcher) = Start(settings, trust: trust.Ref);
        const int tasks = 400;
        for (var i = 0; i < tasks; i++)
        {
            scheduler.Tell(Task($"t{i}"), TestActor);
        }
        ReceiveN(tasks, Wait);
        // Every pick is answered with the next miner not excluded; audited tasks ask twice.
        var dispatches = new List<DispatchTask>();
        while (registry.ReceiveOne(TimeSpan.FromMilliseconds(500)) is PickMiner pick)
        {
            var miner = Enumerable.Range(1, 3).Select(Miner).First(m => pick.Exclude?.Contains(m) != true);
            registry.Reply(new MinerPicked(pick.TaskId, pick.Model, miner, 1, 1));
            dispatches.Add(dispatcher.FishForMessage<DispatchTask>(d => d.TaskId == pick.TaskId, Wait));
        }
        foreach (var d in dispatches)
        {
            scheduler.Tell(Result(d), TestActor);
        }
        ReceiveN(dispatches.Count, Wait);
        var settled = trust.ReceiveN(tasks, Wait).Cast<TaskSettled>().ToList();
        var audited = settled.Count(s => s.Audited);
        // Binomial(400, 0.25): 100 expected, ±4.3 standard deviations at these bounds.
        Assert.InRange(audited, 60, 140);
        Assert.Equal(tasks + audited, dispatches.Count);
        Assert.All(settled.Where(s => s.Audited), s => Assert.Equal(2, s.Runs.Select(r => r.Miner).Distinct().Count()));
        // A miner sees the same deadline, model and input for an audited task as for any other.
        Assert.Single(dispatches.Select(d => (d.Model, d.Deadline, Convert.ToHexString(d.Input))).Distinct());
    }

    [Fact]
    public void Scheduler_completes_an_audit_unaudited_when_no_other_miner_can_run_it()
    {
        var trust = CreateTestProbe();
        var (scheduler, registry, dispatcher) = Start(Settings with { AuditRate = 1 }, trust: trust.Ref);
        scheduler.Tell(Task("t1"), TestActor);
        ExpectMsg<TaskAccepted>(Wait);
        var first = PickAndDispatch(registry, dispatcher, Miner(1));
        var second = registry.ExpectMsg<PickMiner>(Wait);
        registry.Reply(new NoMinerAvailable("t1", "echo", NoMinerReason.AllTried));
        scheduler.Tell(Result(first), TestActor);
        ExpectMsg<ResultAccepted>(Wait);
        // The next ask after the result is answered the same way: the app gets its result now.
        Advance(Sys, TimeSpan.FromSeconds(1));
        var again = registry.ExpectMsg<PickMiner>(Wait);
        Assert.Equal([Miner(1)], again.Exclude!);
        registry.Reply(new NoMinerAvailable("t1", "echo", NoMinerReason.AllTried));
        var settled = trust.ExpectMsg<TaskSettled>(Wait);
        Assert.False(settled.Audited);
        Assert.Single(settled.Runs);
        Assert.NotNull(second);
    }

    [Fact]
    public void Scheduler_refuses_a_verify_it_cannot_honour()
    {
        var (scheduler, _, _) = Start();
        scheduler.Tell(Verified("t1", 0), TestActor);
        Assert.Equal(RejectReason.Invalid, ExpectMsg<TaskRejected>(Wait).Reason);
        scheduler.Tell(Verified("t2", Settings.MaxVerify + 1), TestActor);
        Assert.Contains("between 1 and", ExpectMsg<TaskRejected>(Wait).Explanation);
        scheduler.Tell(Verified("t3", 2) with { PinnedMiners = [Miner(1)] }, TestActor);
        Assert.Contains("pins 1", ExpectMsg<TaskRejected>(Wait).Explanation);
    }

    [Fact]
    public async Task Scheduler_restarted_mid_verification_runs_on_and_decides_once()
    {
        var trust = CreateTestProbe();
        var first = NewSystem("before");
        var (scheduler, registry, dispatcher) = Start(system: first);
        var client = CreateTestProbe(first);
        scheduler.Tell(Verified("t1", 2), client.Ref);
        client.ExpectMsg<TaskAccepted>(Wait);
        var runs = PickEach(registry, dispatcher, 1, 2);
        scheduler.Tell(Result(runs[0]), client.Ref);
        client.ExpectMsg<ResultAccepted>(Wait);
        await first.Terminate().WaitAsync(Wait);

        var second = NewSystem("after");
        var trustAfter = CreateTestProbe(second);
        (scheduler, registry, dispatcher) = Start(system: second, trust: trustAfter.Ref);
        client = CreateTestProbe(second);
        // Only the attempt still running goes out again; the recorded result stays recorded.
        var again = dispatcher.ExpectMsg<DispatchTask>(Wait);
        Assert.Equal((Miner(2), 2), (again.Miner, again.Attempt));
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        scheduler.Tell(Result(runs[0]), client.Ref);
        Assert.IsType<ResultRefused>(client.ReceiveOne(Wait));
        scheduler.Tell(Result(again), client.Ref);
        client.ExpectMsg<ResultAccepted>(Wait);
        var settled = trustAfter.ExpectMsg<TaskSettled>(Wait);
        Assert.Equal([Miner(1), Miner(2)], settled.Runs.Select(r => r.Miner));
        Assert.Equal(2, JournalSteps("scheduler.task-result-recorded.v1"));
        Assert.Equal(1, JournalSteps("scheduler.task-completed.v1"));
        trust.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }
}
