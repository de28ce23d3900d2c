using Akka.Actor;
using Akka.Configuration;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;
using Cuckoo.Inference.Workers;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Benchmarks;

/// <summary>
/// One model, one input, one thread count, set up three ways: a bare InferenceSession with the input's tensors
/// prepared once (the model's own cost), the model runner called directly (plus pre/post-processing), and a
/// GpuWorker actor under its BackoffSupervisor, as miners run it, answering RunInference (plus messaging and scheduling).
/// </summary>
public sealed class Workload : IAsyncDisposable
{
    private readonly OrtValue[] _values;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();
    private int _taskCounter;

    public Workload(string modelId, int threads, ExecutionProviderKind provider = ExecutionProviderKind.Cpu)
    {
        ModelId = modelId;
        var catalog = ModelCatalog.Load(CatalogPath());
        var spec = catalog.Get(modelId);
        var settings = new InferenceSettings { IntraOpThreads = threads, Provider = provider };
        Input = spec.Task == ModelTask.TextToImage
            ? new TextToImageInput("a red fox in the snow", 1, 256, 256)
            : new ImageInput(Page());

        Runner = ModelRunner.Create(catalog, modelId, settings);
        (BareSession, Provider) = SessionFactory.Create(catalog.OpenVerified(spec), settings);
        _inputNames = spec.Inputs.Select(i => i.Name).ToArray();
        _outputNames = spec.Outputs.Select(o => o.Name).ToArray();
        _values = Tensors(spec, Runner, Input);

        System = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        Worker = System.ActorOf(GpuWorkerSupervisor.Props(catalog, modelId, settings with { MaxQueuedTasks = 64 }), "gpu-worker-0");
        // The first task waits for the session to be created and warmed up; a model that cannot load fails it.
        RunWorkerAsync(1).GetAwaiter().GetResult();
    }

    public string ModelId { get; }

    public ModelInput Input { get; }

    public InferenceSession BareSession { get; }

    public ProviderReport Provider { get; }

    public ModelRunner Runner { get; }

    public ActorSystem System { get; }

    public IActorRef Worker { get; }

    /// <summary>The baseline: session.Run on tensors prepared once, outputs disposed.</summary>
    public void RunBare()
    {
        using var outputs = BareSession.Run(_runOptions, _inputNames, _values, _outputNames);
    }

    public ModelOutput RunDirect() => Runner.Run(Input);

    /// <summary>Sends <paramref name="count"/> tasks at once and waits for all answers (the worker queues them).</summary>
    public async Task RunWorkerAsync(int count)
    {
        var replies = new Task<object>[count];
        for (var i = 0; i < count; i++)
        {
            var id = Interlocked.Increment(ref _taskCounter).ToString();
            replies[i] = Worker.Ask<object>(new RunInference(id, ModelId, Input), TimeSpan.FromMinutes(5));
        }

        foreach (var reply in replies)
        {
            if (await reply is InferenceFailed failed)
            {
                throw new InvalidOperationException($"task failed: {failed.Reason} {failed.Message}");
            }
        }
    }

    /// <summary>Runs <paramref name="total"/> tasks keeping <paramref name="window"/> in flight, so the session never waits for work.</summary>
    public async Task RunWorkerPipelinedAsync(int total, int window)
    {
        using var slots = new SemaphoreSlim(window);
        var all = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            await slots.WaitAsync();
            all.Add(RunWorkerAsync(1).ContinueWith(t => { slots.Release(); t.GetAwaiter().GetResult(); }, TaskScheduler.Default));
        }

        await Task.WhenAll(all);
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        foreach (var value in _values)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        BareSession.Dispose();
        Runner.Dispose();
    }

    /// <summary>A 640×480 page with six lines of text in two sizes.</summary>
    public static byte[] Page()
    {
        var gray = TinyFont.Blank(640, 480);
        string[] lines = ["CUCKOO MINER 42", "TEXT DETECTION BENCH", "PADDLEOCR V4 DET", "THE QUICK BROWN FOX", "JUMPS OVER 7 LAZY DOGS", "2026 11 22"];
        for (var i = 0; i < lines.Length; i++)
        {
            TinyFont.Draw(gray, 640, lines[i], 30 + 10 * i, 30 + 72 * i, i % 2 == 0 ? 4 : 3);
        }

        return PngCodec.Encode(new RgbImage(640, 480, 1, gray));
    }

    private static OrtValue[] Tensors(ModelSpec spec, ModelRunner runner, ModelInput input)
    {
        if (input is TextToImageInput t)
        {
            var latent = PromptEmbedding.Latent(t.Prompt, t.Seed!.Value, spec.Preprocessing.PromptDims!.Value, spec.Preprocessing.SeedDims!.Value);
            var coords = TextToImageRunner.Coordinates(t.Width!.Value, t.Height!.Value);
            return
            [
                OrtValue.CreateTensorValueFromMemory(latent, [1, latent.Length]),
                OrtValue.CreateTensorValueFromMemory(coords, [(long)t.Width.Value * t.Height.Value, 3]),
            ];
        }

        var image = PngCodec.Decode(((ImageInput)input).Png).ToRgb();
        var (w, h) = ((TextDetectionRunner)runner).NetworkSize(image.Width, image.Height);
        var planes = new float[3 * w * h];
        var p = spec.Preprocessing;
        ImageResize.ToNormalizedPlanes(image, w, h, p.ChannelOrder == "bgr" ? [2, 1, 0] : [0, 1, 2], p.Mean!.ToArray(), p.Std!.ToArray(), planes);
        return [OrtValue.CreateTensorValueFromMemory(planes, [1, 3, h, w])];
    }

    internal static string CatalogPath()
    {
        var repo = ModelCatalog.FindRepoRoot(AppContext.BaseDirectory) ?? ModelCatalog.FindRepoRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("run the benchmarks from the repository");
        return Path.Combine(repo, "config", "models.json");
    }
}
