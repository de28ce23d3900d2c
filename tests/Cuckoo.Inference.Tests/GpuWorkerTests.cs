using Cuckoo.Actors;
using Cuckoo.Actors.TestKit;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;
using Cuckoo.Inference.Workers;

namespace Cuckoo.Inference.Tests;

public sealed class GpuWorkerTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly InferenceSettings OneThread = new() { IntraOpThreads = 1 };

    private IActorRef Worker(string model, InferenceSettings? settings = null, ModelCatalog? catalog = null) =>
        Sys.ActorOf(GpuWorker.Props(catalog ?? Repo.Catalog(), model, settings ?? OneThread));

    /// <summary>A task that keeps the worker's single session busy for a while (the largest image allowed).</summary>
    private static RunInference Slow(string id, TimeSpan? deadline = null) =>
        new(id, "cuckoo-cppn", new TextToImageInput("a slow and large image", 3, 1024, 1024), deadline);

    [Fact]
    public async Task Worker_returns_a_png_with_its_pixel_digest_and_reports_cpu()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(new RunInference("t1", "cuckoo-cppn", new TextToImageInput("a red fox", 7, 128, 128)), TestActor);
        var done = await ExpectMsgAsync<InferenceSucceeded>(Wait);
        Assert.Equal(("t1", "cuckoo-cppn", "image/png"), (done.TaskId, done.ModelId, done.ContentType));
        Assert.Equal(Digest.OfImage(PngDecoder.Decode(done.Output)), done.Sha256);
        Assert.Equal(ProviderReport.Cpu, done.Provider.Provider);

        worker.Tell(GetWorkerStatus.Instance, TestActor);
        var status = await ExpectMsgAsync<WorkerStatus>(Wait);
        Assert.Equal((1L, 0L, 0), (status.Completed, status.Failed, status.Queued));
        Assert.Equal(ProviderReport.Cpu, status.Provider!.Provider);
        Assert.Null(status.UnavailableReason);
    }

    [Fact]
    public async Task Worker_answers_text_detection_with_json_boxes()
    {
        var worker = Worker("ppocr-v4-det");
        var (png, lines) = Repo.TwoLinePage();
        worker.Tell(new RunInference("ocr", "ppocr-v4-det", new ImageInput(png)), TestActor);
        var done = await ExpectMsgAsync<InferenceSucceeded>(Wait);
        Assert.Equal("application/json", done.ContentType);
        using var json = System.Text.Json.JsonDocument.Parse(done.Output);
        Assert.Equal(lines.Length, json.RootElement.GetProperty("boxes").GetArrayLength());
        Assert.Equal(Digest.Sha256Hex(done.Output), done.Sha256);
    }

    [Fact]
    public async Task Invalid_input_is_refused_and_the_worker_keeps_serving()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(new RunInference("bad", "cuckoo-cppn", new TextToImageInput("cat", 0, 4096, 128)), TestActor);
        var failed = await ExpectMsgAsync<InferenceFailed>(Wait);
        Assert.Equal(InferenceFailure.InvalidInput, failed.Reason);
        Assert.Contains("width 4096", failed.Message);

        worker.Tell(new RunInference("bad-kind", "cuckoo-cppn", new ImageInput([1])), TestActor);
        Assert.Equal(InferenceFailure.InvalidInput, (await ExpectMsgAsync<InferenceFailed>(Wait)).Reason);

        worker.Tell(new RunInference("good", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64)), TestActor);
        Assert.Equal("good", (await ExpectMsgAsync<InferenceSucceeded>(Wait)).TaskId);
    }

    [Fact]
    public async Task Task_for_another_model_is_refused()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(new RunInference("x", "ppocr-v4-det", new ImageInput([1])), TestActor);
        var failed = await ExpectMsgAsync<InferenceFailed>(Wait);
        Assert.Equal(InferenceFailure.UnknownModel, failed.Reason);
        Assert.Contains("serves 'cuckoo-cppn'", failed.Message);
    }

    [Fact]
    public async Task Cancelled_tasks_are_answered_and_later_tasks_still_run()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(Slow("running"), TestActor);
        worker.Tell(new RunInference("queued", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64)), TestActor);
        worker.Tell(new RunInference("after", "cuckoo-cppn", new TextToImageInput("dog", 0, 64, 64)), TestActor);
        worker.Tell(new CancelInference("queued"), TestActor);
        worker.Tell(new CancelInference("running"), TestActor);

        var queued = await ExpectMsgAsync<InferenceFailed>(Wait);
        Assert.Equal(("queued", InferenceFailure.Cancelled), (queued.TaskId, queued.Reason));
        var running = await ExpectMsgAsync<InferenceFailed>(Wait);
        Assert.Equal(("running", InferenceFailure.Cancelled), (running.TaskId, running.Reason));
        Assert.Equal("after", (await ExpectMsgAsync<InferenceSucceeded>(Wait)).TaskId);
    }

    [Fact]
    public async Task Task_id_already_in_progress_is_refused()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(Slow("same"), TestActor);
        worker.Tell(new RunInference("same", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64)), TestActor);
        var refused = await ExpectMsgAsync<InferenceFailed>(Wait);
        Assert.Equal(InferenceFailure.InvalidInput, refused.Reason);
        Assert.Contains("already in progress", refused.Message);
        worker.Tell(new CancelInference("same"), TestActor);
        Assert.Equal(InferenceFailure.Cancelled, (await ExpectMsgAsync<InferenceFailed>(Wait)).Reason);
    }

    [Fact]
    public async Task Full_queue_answers_busy()
    {
        var worker = Worker("cuckoo-cppn", OneThread with { MaxQueuedTasks = 1 });
        worker.Tell(Slow("running"), TestActor);
        worker.Tell(new RunInference("queued", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64)), TestActor);
        worker.Tell(new RunInference("refused", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64)), TestActor);
        var refused = await ExpectMsgAsync<InferenceFailed>(Wait);
        Assert.Equal(("refused", InferenceFailure.Busy), (refused.TaskId, refused.Reason));
        worker.Tell(new CancelInference("running"), TestActor);
        await ExpectMsgAsync<InferenceFailed>(f => f.TaskId == "running", Wait);
        await ExpectMsgAsync<InferenceSucceeded>(s => s.TaskId == "queued", Wait);
    }

    [Fact]
    public async Task Broken_session_is_recreated_by_a_supervised_restart()
    {
        var worker = Worker("cuckoo-cppn");
        worker.Tell(GetWorkerStatus.Instance, TestActor);
        var before = await ExpectMsgAsync<WorkerStatus>(Wait);

        worker.Tell(BreakSession.Instance, TestActor);
        worker.Tell(new RunInference("doomed", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64)), TestActor);
        var failed = await ExpectMsgAsync<InferenceFailed>(Wait);
        Assert.Equal(("doomed", InferenceFailure.ModelError), (failed.TaskId, failed.Reason));

        worker.Tell(new RunInference("healed", "cuckoo-cppn", new TextToImageInput("cat", 0, 64, 64)), TestActor);
        Assert.Equal("healed", (await ExpectMsgAsync<InferenceSucceeded>(Wait)).TaskId);
        worker.Tell(GetWorkerStatus.Instance, TestActor);
        var after = await ExpectMsgAsync<WorkerStatus>(Wait);
        Assert.NotEqual(before.SessionNumber, after.SessionNumber);
    }

    [Fact]
    public async Task Model_that_fails_its_digest_check_is_reported_unavailable()
    {
        var dir = Directory.CreateTempSubdirectory("cuckoo-worker-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "cuckoo-cppn.onnx"), [1, 2, 3]);
            var json = File.ReadAllText(Repo.CatalogPath).Replace("../models/cuckoo-cppn.onnx", "cuckoo-cppn.onnx");
            var worker = Worker("cuckoo-cppn", catalog: ModelCatalog.Parse(json, dir));
            worker.Tell(new RunInference("t", "cuckoo-cppn", new TextToImageInput("cat")), TestActor);
            var failed = await ExpectMsgAsync<InferenceFailed>(Wait);
            Assert.Equal(InferenceFailure.ModelUnavailable, failed.Reason);
            Assert.Contains("refused", failed.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Cuda_request_without_a_usable_gpu_falls_back_to_cpu_with_a_reason()
    {
        var worker = Worker("cuckoo-cppn", OneThread with { Provider = ExecutionProviderKind.Cuda, DeviceId = 0 });
        worker.Tell(GetWorkerStatus.Instance, TestActor);
        var provider = (await ExpectMsgAsync<WorkerStatus>(Wait)).Provider!;
        if (provider.IsGpu)
        {
            Assert.Equal(0, provider.DeviceId);
        }
        else
        {
            Assert.Equal(ProviderReport.Cpu, provider.Provider);
            Assert.Contains("CUDA", provider.FallbackReason);
        }
    }

    [GpuFact]
    public async Task Worker_runs_both_models_on_cuda_where_a_gpu_is_present()
    {
        foreach (var model in new[] { "cuckoo-cppn", "ppocr-v4-det" })
        {
            var worker = Worker(model, new InferenceSettings { Provider = ExecutionProviderKind.Cuda, DeviceId = 0 });
            ModelInput input = model == "cuckoo-cppn" ? new TextToImageInput("a cat", 0, 256, 256) : new ImageInput(Repo.TwoLinePage().Png);
            worker.Tell(new RunInference(model, model, input), TestActor);
            var done = await ExpectMsgAsync<InferenceSucceeded>(Wait);
            Assert.Equal(ProviderReport.Cuda, done.Provider.Provider);
            Assert.Equal(0, done.Provider.DeviceId);
        }
    }
}
