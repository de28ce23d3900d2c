using System.Text;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Cuckoo.Chain;
using Cuckoo.Cluster.Work;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;
using Cuckoo.Miner.Tests.Support;
using Cuckoo.Miner.Work;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Miner.Tests;

/// <summary>
/// The work link between a probe standing for the coordinator's dispatcher (and the singleton proxy) and a real GPU
/// worker supervisor running cuckoo-cppn on the CPU, in real time.
/// </summary>
public sealed class MinerWorkLinkTests() : TestKit("akka.loglevel = WARNING")
{
    private const string Model = "cuckoo-cppn";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>No heartbeat or resend within a test unless it asks for one: every message a probe sees comes from an event.</summary>
    private static readonly MinerWorkLinkSettings Quiet = new() { Heartbeat = TimeSpan.FromHours(1), ResendInterval = TimeSpan.FromHours(1) };

    private static readonly InferenceSettings OneThread = new() { IntraOpThreads = 1 };

    private readonly EthKey _miner = EthKey.Generate();
    private readonly Address _coordinator = EthKey.Generate().Address;
    private readonly StakingTypedData _typed = new(31337, EthKey.Generate().Address);

    [Fact]
    public void Link_advertises_its_credits_and_takes_work()
    {
        var (link, proxy, _) = Start(new CoordinatorCredits(2));
        var hello = proxy.ExpectMsg<WorkRequested>(Wait);
        Assert.Equal((_miner.Address.ToString(), 2, 2, 0L, "cpu"), (hello.Miner, hello.Capacity, hello.Free, hello.Received, hello.Provider));
        Assert.Equal([Model], hello.Models);

        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("t1"), dispatcher.Ref);
        var taken = proxy.ExpectMsg<WorkRequested>(Wait);
        Assert.Equal((2, 1, 1L), (taken.Capacity, taken.Free, taken.Received));
        var done = dispatcher.ExpectMsg<WorkCompleted>(Wait);
        Assert.Equal(("t1", 1, _miner.Address.ToString(), "image/png"), (done.TaskId, done.Attempt, done.Miner, done.ContentType));
        Assert.Equal(Digest.OfImage(PngCodec.Decode(done.Output)), done.OutputDigest);
        var (width, height) = PngCodec.ReadSize(done.Output);
        Assert.Equal((64, 32), (width, height));
        var freed = proxy.ExpectMsg<WorkRequested>(Wait);
        Assert.Equal((2, 2, 1L), (freed.Capacity, freed.Free, freed.Received));

        // A dispatcher after a failover counts the assignments it sent from zero, and so does the link.
        var next = DispatcherProbe();
        link.Tell(Assigned("t2"), next.Ref);
        var fromNext = proxy.ExpectMsg<WorkRequested>(Wait);
        Assert.Equal((1, 1L), (fromNext.Free, fromNext.Received));
        Assert.Equal("t2", next.ExpectMsg<WorkCompleted>(Wait).TaskId);
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Link_rereads_its_credits_at_every_heartbeat()
    {
        var credits = new CoordinatorCredits(1);
        var (_, proxy, _) = Start(credits, Quiet with { Heartbeat = TimeSpan.FromMilliseconds(50) });
        proxy.FishForMessage<WorkRequested>(r => r.Capacity == 1 && r.Free == 1, Wait);

        credits.Value = 3;
        proxy.FishForMessage<WorkRequested>(r => r.Capacity == 3 && r.Free == 3, Wait);

        credits.Value = 0;
        proxy.FishForMessage<WorkRequested>(r => r.Capacity == 0 && r.Free == 0, Wait);
    }

    [Fact]
    public void Link_signs_results_that_recover_to_the_miner()
    {
        var (link, _, _) = Start(new CoordinatorCredits(1));
        var dispatcher = DispatcherProbe();
        var work = Assigned("task-42", attempt: 3, prompt: "a lighthouse at dusk");
        link.Tell(work, dispatcher.Ref);
        var done = dispatcher.ExpectMsg<WorkCompleted>(Wait);
        Assert.Equal(3, done.Attempt);

        Assert.True(WorkTask.VerifyResult(_typed, _coordinator, "task-42", Model, work.Input, done.OutputDigest, done.Signature, _miner.Address));
        // The signature binds the coordinator, the miner, the task, its input and the output.
        Assert.False(WorkTask.VerifyResult(_typed, EthKey.Generate().Address, "task-42", Model, work.Input, done.OutputDigest, done.Signature, _miner.Address));
        Assert.False(WorkTask.VerifyResult(_typed, _coordinator, "task-42", Model, work.Input, done.OutputDigest, done.Signature, EthKey.Generate().Address));
        Assert.False(WorkTask.VerifyResult(_typed, _coordinator, "task-43", Model, work.Input, done.OutputDigest, done.Signature, _miner.Address));
        Assert.False(WorkTask.VerifyResult(_typed, _coordinator, "task-42", Model, "a lighthouse"u8.ToArray(), done.OutputDigest, done.Signature, _miner.Address));
        Assert.False(WorkTask.VerifyResult(_typed, _coordinator, "task-42", Model, work.Input, new string('0', 64), done.Signature, _miner.Address));
        var otherChain = new StakingTypedData(1, _typed.Contract);
        Assert.False(WorkTask.VerifyResult(otherChain, _coordinator, "task-42", Model, work.Input, done.OutputDigest, done.Signature, _miner.Address));
    }

    [Fact]
    public void Link_resends_until_acknowledged()
    {
        var (link, proxy, _) = Start(new CoordinatorCredits(2), Quiet with { ResendInterval = TimeSpan.FromMilliseconds(100) });
        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("t1"), dispatcher.Ref);
        link.Tell(Assigned("t2", model: "no-such-model"), dispatcher.Ref);
        var failed = dispatcher.ExpectMsg<WorkFailed>(Wait);
        var completed = dispatcher.ExpectMsg<WorkCompleted>(Wait);

        // Resent through the proxy (the assigning dispatcher may have failed over), unchanged, until acknowledged.
        for (var i = 0; i < 2; i++)
        {
            var again = proxy.FishForMessage<WorkCompleted>(_ => true, Wait);
            Assert.Equal((completed.TaskId, completed.OutputDigest, completed.Signature), (again.TaskId, again.OutputDigest, again.Signature));
            Assert.Equal(failed, proxy.FishForMessage<WorkFailed>(_ => true, Wait));
        }

        // Accepted or refused, an acknowledged outcome is not sent again.
        link.Tell(new WorkAcknowledged("t1", 1, Accepted: true, null), dispatcher.Ref);
        link.Tell(new WorkAcknowledged("t2", 1, Accepted: false, "unknown task"), dispatcher.Ref);
        link.Tell(GetWorkLinkStatus.Instance, TestActor);
        Assert.Equal(new WorkLinkStatus(2, 0, 0, false), ExpectMsg<WorkLinkStatus>(Wait));
        while (proxy.HasMessages)
        {
            proxy.ExpectMsg<object>(Wait);
        }
        proxy.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void Link_answers_a_repeated_assignment_from_its_cache()
    {
        var (link, proxy, worker) = Start(new CoordinatorCredits(2));
        proxy.ExpectMsg<WorkRequested>(Wait);
        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("t1"), dispatcher.Ref);
        // Assigned again while it runs (by a dispatcher after a failover): one run, one answer, to the one that asked last.
        var failedOver = DispatcherProbe();
        link.Tell(Assigned("t1"), failedOver.Ref);
        var first = failedOver.ExpectMsg<WorkCompleted>(Wait);
        failedOver.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(10));

        // A scheduler restarted on another coordinator assigns it once more: answered at once, not run again.
        var restarted = DispatcherProbe();
        link.Tell(Assigned("t1"), restarted.Ref);
        var repeat = restarted.ExpectMsg<WorkCompleted>(Wait);
        Assert.Equal((first.TaskId, first.Attempt, first.OutputDigest, first.Signature), (repeat.TaskId, repeat.Attempt, repeat.OutputDigest, repeat.Signature));
        Assert.Equal(first.Output, repeat.Output);
        Assert.Equal(1, StatusOf(worker).Completed);
        proxy.FishForMessage<WorkRequested>(r => r.Received == 1 && r.Free == 2, Wait);

        // Another attempt of the same task is new work.
        link.Tell(Assigned("t1", attempt: 2), restarted.Ref);
        Assert.Equal(2, restarted.ExpectMsg<WorkCompleted>(Wait).Attempt);
        Assert.Equal(2, StatusOf(worker).Completed);
    }

    [Fact]
    public void Link_cancels_a_revoked_attempt()
    {
        var (link, proxy, worker) = Start(new CoordinatorCredits(1), catalog: Repo.CatalogWithSlowTasks());
        Assert.Equal(1, proxy.ExpectMsg<WorkRequested>(Wait).Free);
        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("slow", width: 2048, height: 2048), dispatcher.Ref);
        Assert.Equal(0, proxy.ExpectMsg<WorkRequested>(Wait).Free);
        AwaitCondition(() => StatusOf(worker).RunningTaskId == "slow#1", Wait, TimeSpan.FromMilliseconds(10));

        link.Tell(new WorkRevoked("slow", 1, "the deadline passed"), dispatcher.Ref);
        // The credit is free at once; the worker stops the run.
        Assert.Equal(1, proxy.ExpectMsg<WorkRequested>(Wait).Free);
        AwaitCondition(() => StatusOf(worker) is { RunningTaskId: null, Failed: 1, Completed: 0 }, Wait, TimeSpan.FromMilliseconds(20));
        // The worker's "cancelled" answer is not an outcome: nothing is sent for a revoked attempt.
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        link.Tell(GetWorkLinkStatus.Instance, TestActor);
        Assert.Equal(new WorkLinkStatus(1, 0, 0, false), ExpectMsg<WorkLinkStatus>(Wait));
    }

    [Fact]
    public void Link_refuses_an_unknown_model()
    {
        var (link, proxy, _) = Start(new CoordinatorCredits(2));
        proxy.ExpectMsg<WorkRequested>(Wait);
        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("t1", model: "no-such-model"), dispatcher.Ref);
        var failed = dispatcher.ExpectMsg<WorkFailed>(Wait);
        Assert.Equal(("t1", 1, _miner.Address.ToString()), (failed.TaskId, failed.Attempt, failed.Miner));
        Assert.StartsWith("model not served", failed.Reason);
        // Counted as received, and no credit is taken.
        var after = proxy.ExpectMsg<WorkRequested>(Wait);
        Assert.Equal((2, 1L), (after.Free, after.Received));

        // In the catalog but not served by this miner.
        link.Tell(Assigned("t2", model: "ppocr-v4-det"), dispatcher.Ref);
        Assert.StartsWith("model not served", dispatcher.ExpectMsg<WorkFailed>(Wait).Reason);
    }

    [Fact]
    public void Link_rejects_bad_parameters()
    {
        var (link, _, _) = Start(new CoordinatorCredits(2));
        var dispatcher = DispatcherProbe();
        var work = Assigned("t1") with { Parameters = new() { ["width"] = "wide", ["height"] = "64" } };
        link.Tell(work, dispatcher.Ref);
        Assert.Equal("bad input: parameter 'width' must be an integer, not 'wide'", dispatcher.ExpectMsg<WorkFailed>(Wait).Reason);

        // Parsed, but out of the catalog's limits: the worker refuses it before it reaches the model.
        link.Tell(Assigned("t2", width: 4096), dispatcher.Ref);
        var refused = dispatcher.ExpectMsg<WorkFailed>(Wait);
        Assert.StartsWith($"{InferenceFailure.InvalidInput}: ", refused.Reason);
        Assert.Contains("width 4096", refused.Reason);
    }

    [Fact]
    public void Link_refuses_work_for_another_coordinator()
    {
        var (link, _, _) = Start(new CoordinatorCredits(1));
        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("t1") with { Coordinator = EthKey.Generate().Address.ToString() }, dispatcher.Ref);
        Assert.StartsWith("assigned for coordinator", dispatcher.ExpectMsg<WorkFailed>(Wait).Reason);
        link.Tell(Assigned("t2") with { Coordinator = "not an address" }, dispatcher.Ref);
        Assert.StartsWith("assigned for coordinator", dispatcher.ExpectMsg<WorkFailed>(Wait).Reason);
    }

    [Fact]
    public void Link_stops_taking_work_when_drained()
    {
        var (link, proxy, _) = Start(new CoordinatorCredits(2));
        proxy.ExpectMsg<WorkRequested>(Wait);
        link.Tell(DrainWork.Instance, TestActor);
        Assert.True(ExpectMsg<WorkLinkStatus>(Wait).Draining);
        var drained = proxy.ExpectMsg<WorkRequested>(Wait);
        Assert.Equal((2, 0), (drained.Capacity, drained.Free));

        // Assigned before the dispatcher saw it: refused at once, so that another miner gets it.
        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("late"), dispatcher.Ref);
        Assert.Equal("this miner is shutting down", dispatcher.ExpectMsg<WorkFailed>(Wait).Reason);
    }

    [Fact]
    public void Link_offers_a_task_again_while_its_worker_restarts()
    {
        var worker = CreateTestProbe();
        var (link, _, _) = Start(new CoordinatorCredits(1), Quiet with { RestartRetryDelay = TimeSpan.FromMilliseconds(20) }, worker: worker.Ref);
        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("t1", deadlineMs: 20_000), dispatcher.Ref);
        var run = worker.ExpectMsg<RunInference>(Wait);
        Assert.Equal(("t1#1", Model, new TextToImageInput("a red fox", 1, 64, 32)), (run.TaskId, run.ModelId, run.Input));
        Assert.InRange(run.Deadline!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        worker.Reply(new RefusedWhileRestarting(Model));

        Assert.Equal("t1#1", worker.ExpectMsg<RunInference>(Wait).TaskId);
        var digest = new string('a', 64);
        worker.Reply(new InferenceSucceeded("t1#1", Model, "image/png", [1, 2, 3], digest, new ProviderReport(ProviderReport.Cpu, null, null), TimeSpan.FromMilliseconds(5)));
        var done = dispatcher.ExpectMsg<WorkCompleted>(Wait);
        Assert.Equal(digest, done.OutputDigest);
        Assert.Equal([1, 2, 3], done.Output);
        // Offered once more, not again after it was answered.
        worker.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Link_reports_a_failed_run()
    {
        var worker = CreateTestProbe();
        var (link, proxy, _) = Start(new CoordinatorCredits(1), worker: worker.Ref);
        Assert.Equal(1, proxy.ExpectMsg<WorkRequested>(Wait).Free);
        var dispatcher = DispatcherProbe();
        link.Tell(Assigned("t1"), dispatcher.Ref);
        Assert.Equal(0, proxy.ExpectMsg<WorkRequested>(Wait).Free);
        worker.ExpectMsg<RunInference>(Wait);
        worker.Reply(new InferenceFailed("t1#1", Model, InferenceFailure.ModelError, "the session threw"));
        Assert.Equal("ModelError: the session threw", dispatcher.ExpectMsg<WorkFailed>(Wait).Reason);
        Assert.Equal(1, proxy.ExpectMsg<WorkRequested>(Wait).Free);
    }

    [Fact]
    public void Link_tells_the_dispatcher_once_when_its_model_begins_an_attempt()
    {
        var worker = CreateTestProbe();
        var (link, _, _) = Start(new CoordinatorCredits(2), worker: worker.Ref);
        var dispatcher = CreateTestProbe();
        link.Tell(Assigned("t1"), dispatcher.Ref);
        var run = worker.ExpectMsg<RunInference>(Wait);
        Assert.Equal(link, run.StartedTo);
        // Waiting in the worker's queue is not running yet.
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        link.Tell(new InferenceStarted("t1#1", Model), worker.Ref);
        Assert.Equal(new WorkStarted("t1", 1, _miner.Address.ToString()), dispatcher.ExpectMsg<WorkStarted>(Wait));
        link.Tell(new InferenceStarted("t1#1", Model), worker.Ref);
        link.Tell(new InferenceStarted("unknown#1", Model), worker.Ref);
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // A dispatcher after a failover that assigns it again learns at once that it runs.
        var next = CreateTestProbe();
        link.Tell(Assigned("t1"), next.Ref);
        Assert.Equal("t1", next.ExpectMsg<WorkStarted>(Wait).TaskId);
        worker.Reply(new InferenceSucceeded("t1#1", Model, "image/png", [1, 2, 3], new string('a', 64), new ProviderReport(ProviderReport.Cpu, null, null), TimeSpan.FromMilliseconds(5)));
        Assert.Equal("t1", next.ExpectMsg<WorkCompleted>(Wait).TaskId);
    }

    [Fact]
    public void Link_with_a_real_worker_says_running_before_the_result()
    {
        var (link, _, _) = Start(new CoordinatorCredits(1));
        var dispatcher = CreateTestProbe();
        link.Tell(Assigned("t1"), dispatcher.Ref);
        Assert.Equal(("t1", 1), dispatcher.ExpectMsg<WorkStarted>(Wait) is var s ? (s.TaskId, s.Attempt) : default);
        Assert.Equal("t1", dispatcher.ExpectMsg<WorkCompleted>(Wait).TaskId);
    }

    /// <summary>A dispatcher for tests about outcomes: it does not see the link's <see cref="WorkStarted"/>.</summary>
    private TestProbe DispatcherProbe()
    {
        var probe = CreateTestProbe();
        probe.IgnoreMessages<WorkStarted>();
        return probe;
    }

    private (IActorRef Link, TestProbe Proxy, IActorRef Worker) Start(
        CoordinatorCredits credits, MinerWorkLinkSettings? settings = null, ModelCatalog? catalog = null, IActorRef? worker = null)
    {
        var models = catalog ?? Repo.Catalog();
        var proxy = CreateTestProbe();
        worker ??= Sys.ActorOf(GpuWorkerSupervisor.Props(models, Model, OneThread));
        var link = Sys.ActorOf(MinerWorkLink.Props(
            _miner, _coordinator, _typed, models, [Model], "cpu", () => credits.Value, proxy.Ref,
            new Dictionary<string, IActorRef> { [Model] = worker }, settings ?? Quiet));
        return (link, proxy, worker);
    }

    private WorkAssigned Assigned(
        string taskId, int attempt = 1, string model = Model, string prompt = "a red fox", int width = 64, int height = 32, long deadlineMs = 60_000) =>
        new(taskId, attempt, model, Encoding.UTF8.GetBytes(prompt),
            new Dictionary<string, string> { ["width"] = $"{width}", ["height"] = $"{height}", ["seed"] = "1" }, deadlineMs, _coordinator.ToString());

    private WorkerStatus StatusOf(IActorRef worker)
    {
        var probe = CreateTestProbe();
        worker.Tell(GetWorkerStatus.Instance, probe.Ref);
        return probe.ExpectMsg<WorkerStatus>(Wait);
    }
}
