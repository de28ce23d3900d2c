using Akka.Actor;
using Akka.TestKit.Xunit2;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;
using Cuckoo.Inference.Workers;
using static Cuckoo.Inference.Tests.Support.WorkerTasks;

namespace Cuckoo.Inference.Tests;

/// <summary>The worker as miners run it (under its backoff supervisor), with a real CPU session, in real time.</summary>
public sealed class GpuWorkerTests() : TestKit("akka.loglevel = WARNING")
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private IActorRef Worker(string model, InferenceSettings? settings = null, ModelCatalog? catalog = null) =>
        Sys.ActorOf(GpuWorkerSupervisor.Props(catalog ?? Repo.CatalogWithSlowTasks(), model, settings ?? OneThread));

    [Fact]
    public void Worker_returns_a_png_with_its_pixel_digest_and_reports_cpu()
    {
        // Sent at once: the task waits for the session being created and warmed up.
        var worker = Worker("cuckoo-cppn");
        worker.Tell(new RunInference("t1", "cuckoo-cppn", new TextToImageInput("a red fox", 7, 128, 128)), TestActor);
        var done = ExpectMsg<InferenceSucceeded>(Wait);
        Assert.Equal(("t1", "cuckoo-cppn", "image/png"), (done.TaskId, done.ModelId, done.ContentType));
        Assert.Equal(Digest.OfImage(PngCodec.Decode(done.Output)), done.Sha256);
        Assert.Equal(ProviderReport.Cpu, done.Provider.Provider);
        Assert.Null(done.Provider.FallbackReason);

        worker.Tell(GetWorkerStatus.Instance, TestActor);
        var status = ExpectMsg<WorkerStatus>(Wait);
        Assert.Equal((1L, 0L, 0), (status.Completed, status.Failed, status.Queued));
        Assert.Equal(ProviderReport.Cpu, status.Provider!.Provider);
        Assert.Null(status.UnavailableReason);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_task_is_reported_started_when_the_session_begins_it_not_while_it_waits()
    {
        var worker = Worker("cuckoo-cppn");
        var started = CreateTestProbe();
        worker.Tell(Small("first") with { StartedTo = started.Ref }, TestActor);
        worker.Tell(Small("second") with { StartedTo = started.Ref }, TestActor);
        worker.Tell(new RunInference("bad", "cuckoo-cppn", new TextToImageInput("cat", 0, 4096, 128), StartedTo: started.Ref), TestActor);

        Assert.Equal(new InferenceStarted("first", "cuckoo-cppn"), started.ExpectMsg<InferenceStarted>(Wait));
        // Each in its turn, in order of arrival.
        Assert.Equal("second", started.ExpectMsg<InferenceStarted>(Wait).TaskId);
        var answers = ReceiveN(3, Wait);
        Assert.Contains(answers, a => a is InferenceSucceeded { TaskId: "first" });
        Assert.Contains(answers, a => a is InferenceSucceeded { TaskId: "second" });
        Assert.Contains(answers, a => a is InferenceFailed { TaskId: "bad", Reason: InferenceFailure.InvalidInput });
        // Refused input never reached the session.
        started.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Worker_answers_text_detection_with_json_boxes()
    {
        var worker = Worker("ppocr-v4-det");
        var (png, lines) = Repo.TwoLinePage();
        worker.Tell(new RunInference("ocr", "ppocr-v4-det", new ImageInput(png)), TestActor);
        var done = ExpectMsg<InferenceSucceeded>(Wait);
        Assert.Equal("application/json", done.ContentType);
        using var json = System.Text.Json.JsonDocument.Parse(done.Output);
        Assert.Equal(lines.Length, json.RootElement.GetProperty("boxes").GetArrayLength());
        Assert.Equal(Digest.Sha256Hex(done.Output), done.Sha256);
    }

    [Fact]
    public void Invalid_input_is_refused_and_the_worker_keeps_serving()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(new RunInference("bad", "cuckoo-cppn", new TextToImageInput("cat", 0, 4096, 128)), TestActor);
        var failed = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal(InferenceFailure.InvalidInput, failed.Reason);
        Assert.Contains("width 4096", failed.Message);

        worker.Tell(new RunInference("bad-kind", "cuckoo-cppn", new ImageInput([1])), TestActor);
        Assert.Equal(InferenceFailure.InvalidInput, ExpectMsg<InferenceFailed>(Wait).Reason);

        worker.Tell(Small("good"), TestActor);
        Assert.Equal("good", ExpectMsg<InferenceSucceeded>(Wait).TaskId);
    }

    [Fact]
    public void Image_claiming_a_huge_size_is_refused_by_the_worker_before_native_code()
    {
        var worker = Worker("ppocr-v4-det");
        worker.Tell(new RunInference("huge", "ppocr-v4-det", new ImageInput(PngFiles.Claiming100000Square())), TestActor);
        var failed = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal((InferenceFailure.InvalidInput, "the image is 100000x100000; allowed is 8x8 to 4096x4096"), (failed.Reason, failed.Message));
        worker.Tell(new RunInference("not-png", "ppocr-v4-det", new ImageInput("GIF89a"u8.ToArray())), TestActor);
        Assert.StartsWith("the image cannot be read", ExpectMsg<InferenceFailed>(Wait).Message);
    }

    [Fact]
    public void Task_for_another_model_is_refused()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(new RunInference("x", "ppocr-v4-det", new ImageInput([1])), TestActor);
        var failed = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal(InferenceFailure.UnknownModel, failed.Reason);
        Assert.Contains("serves 'cuckoo-cppn'", failed.Message);
    }

    [Fact]
    public void Cancelled_tasks_are_answered_and_later_tasks_still_run()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(Slow("running"), TestActor);
        worker.Tell(Small("queued"), TestActor);
        worker.Tell(Small("after", "dog"), TestActor);
        AwaitRunning(worker, "running");
        worker.Tell(new CancelInference("queued"), TestActor);
        worker.Tell(new CancelInference("running"), TestActor);

        var queued = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal(("queued", InferenceFailure.Cancelled, "cancelled while queued"), (queued.TaskId, queued.Reason, queued.Message));
        var running = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal(("running", InferenceFailure.Cancelled, "cancelled while running"), (running.TaskId, running.Reason, running.Message));
        Assert.Equal("after", ExpectMsg<InferenceSucceeded>(Wait).TaskId);

        // A cancel for a task already answered changes nothing and answers nothing.
        worker.Tell(new CancelInference("after"), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Task_id_already_in_progress_is_refused()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(Slow("same"), TestActor);
        worker.Tell(Small("same"), TestActor);
        var refused = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal(InferenceFailure.InvalidInput, refused.Reason);
        Assert.Contains("already in progress", refused.Message);
        worker.Tell(new CancelInference("same"), TestActor);
        Assert.Equal(InferenceFailure.Cancelled, ExpectMsg<InferenceFailed>(Wait).Reason);
    }

    [Fact]
    public void Full_queue_answers_busy()
    {
        var worker = Worker("cuckoo-cppn", OneThread with { MaxQueuedTasks = 1 });
        worker.Tell(Slow("running"), TestActor);
        worker.Tell(Small("queued"), TestActor);
        worker.Tell(Small("refused"), TestActor);
        var refused = ExpectMsg<InferenceFailed>(Wait);
        Assert.Equal(("refused", InferenceFailure.Busy), (refused.TaskId, refused.Reason));
        worker.Tell(new CancelInference("running"), TestActor);
        // Which of the two answers comes first depends on when the cancel reaches the run.
        FishForMessage<object>(m => m is InferenceFailed { TaskId: "running" }, Wait);
        FishForMessage<object>(m => m is InferenceSucceeded { TaskId: "queued" }, Wait);
    }

    [Fact]
    public void Model_that_fails_its_digest_check_is_reported_unavailable()
    {
        var dir = Directory.CreateTempSubdirectory("cuckoo-worker-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "cuckoo-cppn.onnx"), [1, 2, 3]);
            var json = File.ReadAllText(Repo.CatalogPath).Replace("../models/cuckoo-cppn.onnx", "cuckoo-cppn.onnx");
            var worker = Worker("cuckoo-cppn", catalog: ModelCatalog.Parse(json, dir));
            worker.Tell(new RunInference("t", "cuckoo-cppn", new TextToImageInput("cat")), TestActor);
            var failed = ExpectMsg<InferenceFailed>(Wait);
            Assert.Equal(InferenceFailure.ModelUnavailable, failed.Reason);
            Assert.Contains("refused", failed.Message);

            // It stays up and says why, rather than restarting: the file will not get better by itself.
            worker.Tell(GetWorkerStatus.Instance, TestActor);
            var status = ExpectMsg<WorkerStatus>(Wait);
            Assert.Null(status.Provider);
            Assert.Contains("sha256", status.UnavailableReason);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Cuda_request_falls_back_to_cpu_and_the_worker_says_which_provider_it_uses()
    {
        var worker = Worker("cuckoo-cppn", OneThread with { Provider = ExecutionProviderKind.Cuda });
        worker.Tell(Small("t"), TestActor);
        var done = ExpectMsg<InferenceSucceeded>(Wait);
        if (File.Exists("/dev/nvidia0"))
        {
            return; // a GPU machine: Worker_runs_both_models_on_cuda_where_a_gpu_is_present covers it
        }

        Assert.Equal(ProviderReport.Cpu, done.Provider.Provider);
        Assert.Null(done.Provider.DeviceId);
        Assert.Contains("CUDA device 0 is not usable", done.Provider.FallbackReason);
        worker.Tell(GetWorkerStatus.Instance, TestActor);
        Assert.Equal(done.Provider, ExpectMsg<WorkerStatus>(Wait).Provider);
    }

    [GpuFact]
    public void Worker_runs_both_models_on_cuda_where_a_gpu_is_present()
    {
        foreach (var model in new[] { "cuckoo-cppn", "ppocr-v4-det" })
        {
            var worker = Worker(model, new InferenceSettings { Provider = ExecutionProviderKind.Cuda, DeviceId = 0 });
            ModelInput input = model == "cuckoo-cppn" ? new TextToImageInput("a cat", 0, 256, 256) : new ImageInput(Repo.TwoLinePage().Png);
            worker.Tell(new RunInference(model, model, input), TestActor);
            var done = ExpectMsg<InferenceSucceeded>(Wait);
            Assert.Equal(ProviderReport.Cuda, done.Provider.Provider);
            Assert.Equal(0, done.Provider.DeviceId);
        }
    }

    /// <summary>Waits until the session thread has started <paramref name="taskId"/>.</summary>
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
