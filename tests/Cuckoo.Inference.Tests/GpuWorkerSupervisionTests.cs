using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;
using Cuckoo.Inference.Workers;
using static Cuckoo.Inference.Tests.Support.WorkerTasks;

namespace Cuckoo.Inference.Tests;

/// <summary>A broken session is re-created by Akka's BackoffSupervisor; the backoff runs on the TestScheduler.</summary>
public sealed class GpuWorkerSupervisionTests() : TestKit("""
    akka.loglevel = WARNING
    akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
    """)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    [Fact]
    public void Broken_session_is_recreated_after_the_backoff()
    {
        var settings = OneThread with { RestartMinBackoff = TimeSpan.FromSeconds(1), RestartRandomFactor = 0 };
        var worker = Sys.ActorOf(GpuWorkerSupervisor.Props(Repo.Catalog(), "cuckoo-cppn", settings));
        var before = StatusWhenServing(worker);

        Assert.NotNull(CurrentChild(worker));
        worker.Tell(BreakSession.Instance, TestActor);
        worker.Tell(Small("doomed"), TestActor);
        var failed = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal(("doomed", InferenceFailure.ModelError), (failed.TaskId, failed.Reason));
        // The supervisor has seen its worker stop once it reports no child; the backoff timer starts then.
        AwaitCondition(() => CurrentChild(worker) is null, Wait, TimeSpan.FromMilliseconds(20));

        // Within the backoff the supervisor answers for the missing worker, so no task waits for nothing.
        worker.Tell(Small("too-early"), TestActor);
        Assert.Equal(new RefusedWhileRestarting("cuckoo-cppn"), ExpectMsg<RefusedWhileRestarting>(Wait));

        Scheduler.Advance(TimeSpan.FromSeconds(1));
        var after = StatusWhenServing(worker);
        Assert.NotEqual(before.SessionNumber, after.SessionNumber);
        worker.Tell(Small("healed"), TestActor);
        Assert.Equal("healed", ExpectMsg<InferenceSucceeded>(Wait).TaskId);
    }

    [Fact]
    public void Tasks_queued_behind_the_broken_run_are_answered_worker_restarting()
    {
        var settings = OneThread with { RestartMinBackoff = TimeSpan.FromSeconds(1), RestartRandomFactor = 0 };
        var worker = Sys.ActorOf(GpuWorkerSupervisor.Props(Repo.CatalogWithSlowTasks(), "cuckoo-cppn", settings));
        StatusWhenServing(worker);
        worker.Tell(BreakSession.Instance, TestActor);
        worker.Tell(Small("doomed"), TestActor);
        worker.Tell(Small("behind"), TestActor);
        Assert.Equal(("doomed", InferenceFailure.ModelError), ExpectMsg<InferenceFailed>(Wait) is var d ? (d.TaskId, d.Reason) : default);
        // The health check after the failure finds the session broken: what it holds is answered before it stops.
        var behind = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal(("behind", InferenceFailure.WorkerRestarting), (behind.TaskId, behind.Reason));
        Assert.Contains("is being re-created", behind.Message);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>The worker's status once its session is created (the supervisor forwards the request).</summary>
    private WorkerStatus StatusWhenServing(IActorRef worker)
    {
        var probe = CreateTestProbe();
        WorkerStatus? status = null;
        AwaitCondition(() =>
        {
            worker.Tell(GetWorkerStatus.Instance, probe.Ref);
            status = probe.ExpectMsg<object>(Wait) as WorkerStatus;
            return status?.Provider is not null;
        }, Wait, TimeSpan.FromMilliseconds(20));
        return status!;
    }

    private IActorRef? CurrentChild(IActorRef supervisor)
    {
        var probe = CreateTestProbe();
        supervisor.Tell(Akka.Pattern.BackoffSupervisor.GetCurrentChild.Instance, probe.Ref);
        return probe.ExpectMsg<Akka.Pattern.BackoffSupervisor.CurrentChild>(Wait).Ref;
    }
}
