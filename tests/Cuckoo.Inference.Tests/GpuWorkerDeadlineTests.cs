using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;
using Cuckoo.Inference.Workers;
using static Cuckoo.Inference.Tests.Support.WorkerTasks;

namespace Cuckoo.Inference.Tests;

/// <summary>Per-task deadlines are actor timers; here on Akka's TestScheduler, so time moves only when the test says.</summary>
public sealed class GpuWorkerDeadlineTests() : TestKit("""
    akka.loglevel = WARNING
    akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
    """)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private IActorRef Worker(InferenceSettings? settings = null) =>
        Sys.ActorOf(GpuWorkerSupervisor.Props(Repo.CatalogWithSlowTasks(), "cuckoo-cppn", settings ?? OneThread));

    [Fact]
    public void Running_and_queued_tasks_past_their_deadline_are_terminated_and_answered()
    {
        var worker = Worker();
        worker.Tell(Slow("running", TimeSpan.FromSeconds(5)), TestActor);
        worker.Tell(Small("queued", deadline: TimeSpan.FromSeconds(5)), TestActor);
        worker.Tell(Small("patient", deadline: TimeSpan.FromMinutes(5)), TestActor);
        AwaitRunning(worker, "running");

        // Virtual time: a second before the deadline nothing happens, however long the run really takes meanwhile.
        Scheduler.Advance(TimeSpan.FromSeconds(4));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Scheduler.Advance(TimeSpan.FromSeconds(2));
        var answers = new[] { ExpectMsg<InferenceFailed>(Wait), ExpectMsg<InferenceFailed>(Wait) };
        Assert.All(answers, a => Assert.Equal(InferenceFailure.DeadlineExceeded, a.Reason));
        Assert.Equal(
            ["queued: the deadline passed while queued", "running: the deadline passed while running"],
            answers.Select(a => $"{a.TaskId}: {a.Message}").Order());
        Assert.Equal("patient", ExpectMsg<InferenceSucceeded>(Wait).TaskId);
    }

    [Fact]
    public void Task_without_time_left_is_refused_on_arrival()
    {
        var worker = Worker(OneThread with { WarmUp = false });
        worker.Tell(new RunInference("late", "cuckoo-cppn", new TextToImageInput("cat"), TimeSpan.Zero), TestActor);
        var failed = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal((InferenceFailure.DeadlineExceeded, "the deadline had passed on arrival"), (failed.Reason, failed.Message));
    }

    [Fact]
    public void Answered_task_leaves_no_timer_behind()
    {
        var worker = Worker();
        worker.Tell(Small("quick", deadline: TimeSpan.FromSeconds(5)), TestActor);
        ExpectMsg<InferenceSucceeded>(Wait);
        Scheduler.Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        worker.Tell(GetWorkerStatus.Instance, TestActor);
        Assert.Equal((1L, 0L), (ExpectMsg<WorkerStatus>(Wait) is var s ? (s.Completed, s.Failed) : default));
    }

    private void AwaitRunning(IActorRef worker, string taskId)
    {
        var probe = CreateTestProbe();
        AwaitAssert(() =>
        {
            worker.Tell(GetWorkerStatus.Instance, probe.Ref);
            Assert.Equal(taskId, probe.ExpectMsg<WorkerStatus>(Wait).RunningTaskId);
        }, Wait, TimeSpan.FromMilliseconds(20));
    }
}
