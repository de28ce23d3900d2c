using Cuckoo.Actors;
using Cuckoo.Actors.TestKit;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;
using Cuckoo.Inference.Workers;

namespace Cuckoo.Inference.Tests;

/// <summary>Deadlines run on the actor system's clock, here a fake one the tests advance.</summary>
public sealed class GpuWorkerDeadlineTests() : TestKit(useFakeClock: true)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static RunInference Slow(string id, TimeSpan? deadline = null) =>
        new(id, "cuckoo-cppn", new TextToImageInput("a slow and large image", 3, 1024, 1024), deadline);

    [Fact]
    public async Task Running_and_queued_tasks_past_their_deadline_are_terminated_and_answered()
    {
        var worker = Sys.ActorOf(GpuWorker.Props(Repo.Catalog(), "cuckoo-cppn", new InferenceSettings { IntraOpThreads = 1 }));
        worker.Tell(Slow("running", TimeSpan.FromSeconds(5)), TestActor);
        worker.Tell(new RunInference("queued", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64), TimeSpan.FromSeconds(5)), TestActor);
        worker.Tell(new RunInference("patient", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64), TimeSpan.FromMinutes(5)), TestActor);
        await AwaitRunningAsync(worker, "running");

        Clock.Advance(TimeSpan.FromSeconds(6));
        var answers = new[] { await ExpectMsgAsync<InferenceFailed>(Wait), await ExpectMsgAsync<InferenceFailed>(Wait) };
        Assert.All(answers, a => Assert.Equal(InferenceFailure.DeadlineExceeded, a.Reason));
        Assert.Equal(["queued", "running"], answers.Select(a => a.TaskId).Order());
        Assert.Equal("patient", (await ExpectMsgAsync<InferenceSucceeded>(Wait)).TaskId);
    }

    /// <summary>Polls the worker's status until the session thread has started the task.</summary>
    private async Task AwaitRunningAsync(IActorRef worker, string taskId)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var status = await worker.Ask<WorkerStatus>(GetWorkerStatus.Instance, Wait);
            if (status.RunningTaskId == taskId)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"task {taskId} did not start; running: {status.RunningTaskId}");
            await Task.Yield();
        }
    }

    [Fact]
    public async Task Task_without_time_left_is_refused_on_arrival()
    {
        var worker = Sys.ActorOf(GpuWorker.Props(Repo.Catalog(), "cuckoo-cppn", new InferenceSettings { IntraOpThreads = 1, WarmUp = false }));
        worker.Tell(new RunInference("late", "cuckoo-cppn", new TextToImageInput("cat"), TimeSpan.Zero), TestActor);
        var failed = await ExpectMsgAsync<InferenceFailed>(Wait);
        Assert.Equal(InferenceFailure.DeadlineExceeded, failed.Reason);
    }
}
