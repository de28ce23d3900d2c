using System.Diagnostics;
using Akka.Actor;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Xunit;
using Xunit.Abstractions;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Tests.Scheduler;

public sealed class SchedulerRecoveryTests(ITestOutputHelper output) : SchedulerTestBase(output)
{
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task Scheduler_restarted_on_the_same_journal_loses_no_task_and_completes_none_twice()
    {
        var first = NewSystem("before");
        var (scheduler, registry, dispatcher) = Start(system: first);
        var client = CreateTestProbe(first);
        for (var i = 0; i < 30; i++)
        {
            scheduler.Tell(Task($"t{i}"), client.Ref);
        }
        client.ReceiveN(30, Wait);
        var dispatched = new List<DispatchTask>();
        for (var i = 0; i < 20; i++)
        {
            dispatched.Add(PickAndDispatch(registry, dispatcher, Miner(1)));
        }
        foreach (var d in dispatched.Take(10))
        {
            scheduler.Tell(Result(d), client.Ref);
        }
        client.ReceiveN(10, Wait).ToList().ForEach(m => Assert.IsType<ResultAccepted>(m));
        var completedBefore = dispatched.Take(10).Select(d => d.TaskId).ToHashSet();
        var assignedBefore = dispatched.Skip(10).Select(d => d.TaskId).ToHashSet();
        await first.Terminate().WaitAsync(Wait);

        var second = NewSystem("after");
        (scheduler, registry, dispatcher) = Start(system: second);
        client = CreateTestProbe(second);
        // Assigned tasks go to their miner again, same attempt; queued ones ask the registry.
        var again = dispatcher.ReceiveN(10, Wait).Cast<DispatchTask>().ToList();
        Assert.Equal(assignedBefore, again.Select(d => d.TaskId).ToHashSet());
        Assert.All(again, d => Assert.Equal((Miner(1), 1), (d.Miner, d.Attempt)));
        var queued = new List<DispatchTask>();
        for (var i = 0; i < 10; i++)
        {
            queued.Add(PickAndDispatch(registry, dispatcher, Miner(2)));
        }
        foreach (var d in again.Concat(queued))
        {
            scheduler.Tell(Result(d), client.Ref);
        }
        client.ReceiveN(20, Wait).ToList().ForEach(m => Assert.IsType<ResultAccepted>(m));

        scheduler.Tell(Result(dispatched[0]), client.Ref);
        Assert.Equal("already completed", client.ExpectMsg<ResultRefused>(Wait).Reason);
        for (var i = 0; i < 30; i++)
        {
            scheduler.Tell(new GetTask($"t{i}"), client.Ref);
            client.ExpectMsg<TaskStatus.Completed>(Wait);
        }
        Assert.DoesNotContain(completedBefore, again.Select(d => d.TaskId).Contains);
        Assert.Equal(30, JournalSteps("scheduler.task-accepted.v1"));
        Assert.Equal(30, JournalSteps("scheduler.task-completed.v1"));
    }

    [Fact]
    public async Task Scheduler_recovers_many_tasks_from_a_snapshot()
    {
        const int tasks = 5_000;
        var settings = Settings with { SnapshotEvery = 1_000, PerAppQuota = tasks };
        var first = NewSystem("before");
        var (scheduler, registry, _) = Start(settings, first);
        var client = CreateTestProbe(first);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < tasks; i++)
        {
            scheduler.Tell(Task($"t{i}"), client.Ref);
        }
        client.ReceiveN(tasks, Wait);
        _output.WriteLine($"accepted {tasks} tasks in {clock.ElapsedMilliseconds} ms");
        registry.ReceiveN(tasks, Wait);
        // The last snapshot is written after the last accept's reply; a GetTask answered afterwards does not prove it is stored.
        AwaitCondition(() => SnapshotRows() > 0, Wait);
        await first.Terminate().WaitAsync(Wait);

        var second = NewSystem("after");
        clock.Restart();
        (scheduler, registry, _) = Start(settings, second);
        client = CreateTestProbe(second);
        scheduler.Tell(new GetTask($"t{tasks - 1}"), client.Ref);
        client.ExpectMsg<TaskStatus.Queued>(Wait);
        _output.WriteLine($"recovered {tasks} live tasks (snapshot every {settings.SnapshotEvery}) in {clock.ElapsedMilliseconds} ms; {JournalRows()} journal rows left");
        Assert.Equal(tasks, registry.ReceiveN(tasks, Wait).Cast<PickMiner>().Select(p => p.TaskId).Distinct().Count());
    }
}
