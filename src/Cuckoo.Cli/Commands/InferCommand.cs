using System.CommandLine;
using System.Diagnostics;
using Cuckoo.Actors;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;

namespace Cuckoo.Cli.Commands;

/// <summary>
/// `cuckoo infer`: runs one task through a local GPU worker, the same path a miner uses, so an operator can
/// check a machine (provider, speed, digest) before joining a cluster.
/// </summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model id from the catalog (cuckoo-cppn, ppocr-v4-det).", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Prompt for text-to-image models." };
        var image = new Option<FileInfo?>("--image") { Description = "PNG input for image models (text detection)." };
        var seed = new Option<long?>("--seed") { Description = "Seed for text-to-image models (catalog default when left out)." };
        var width = new Option<int?>("--width") { Description = "Image width for text-to-image models." };
        var height = new Option<int?>("--height") { Description = "Image height for text-to-image models." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the output (PNG or JSON).", Required = true };
        var catalog = new Option<FileInfo?>("--catalog") { Description = "Model catalog (default config/models.json)." };
        var provider = new Option<string>("--provider") { Description = "cpu or cuda (falls back to cpu with the reason).", DefaultValueFactory = _ => "cpu" };
        var device = new Option<int>("--device") { Description = "CUDA device id.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (0: ONNX Runtime's choice).", DefaultValueFactory = _ => 0 };
        var deadline = new Option<double>("--deadline") { Description = "Seconds before the task is terminated.", DefaultValueFactory = _ => 120 };

        var json = new Option<bool>("--json") { Description = "Print the result (or the error) as JSON." };

        var command = new Command("infer", "Run a model locally through a GPU worker and write its output.")
        {
            model, prompt, image, seed, width, height, output, catalog, provider, device, threads, deadline, json,
        };
        CliRun.SetAction(command, json, async (context, cancellationToken) =>
        {
            var parse = context.Parse;
            var modelId = parse.GetValue(model)!;
            var outFile = parse.GetValue(output)!;
            ModelCatalog models;
            ModelSpec spec;
            try
            {
                models = ModelCatalog.Load(parse.GetValue(catalog)?.FullName ?? ModelCatalog.DefaultPath());
                spec = models.Get(modelId);
            }
            catch (ModelCatalogException e)
            {
                throw new CliException(ExitCodes.BadInput, "model", e.Message, e);
            }

            ModelInput input;
            switch (spec.Task)
            {
                case ModelTask.TextToImage when parse.GetValue(prompt) is { } text:
                    input = new TextToImageInput(text, parse.GetValue(seed), parse.GetValue(width), parse.GetValue(height));
                    break;
                case ModelTask.TextToImage:
                    throw BadInput($"model '{modelId}' needs --prompt");
                case ModelTask.TextDetection when parse.GetValue(image) is { } file:
                    if (!file.Exists)
                    {
                        throw BadInput($"image {file.FullName} does not exist");
                    }

                    input = new ImageInput(await File.ReadAllBytesAsync(file.FullName, cancellationToken));
                    break;
                default:
                    throw BadInput($"model '{modelId}' needs --image FILE.png");
            }

            var providerName = parse.GetValue(provider)!.ToLowerInvariant();
            if (providerName is not ("cpu" or "cuda"))
            {
                throw BadInput($"--provider must be cpu or cuda, not '{providerName}'");
            }

            var settings = new InferenceSettings
            {
                Provider = providerName == "cuda" ? ExecutionProviderKind.Cuda : ExecutionProviderKind.Cpu,
                DeviceId = parse.GetValue(device),
                IntraOpThreads = parse.GetValue(threads),
                DefaultDeadline = TimeSpan.FromSeconds(parse.GetValue(deadline)),
            };

            await using var system = ActorSystem.Create("cuckoo-infer");
            var started = Stopwatch.StartNew();
            var worker = system.ActorOf(GpuWorker.Props(models, modelId, settings), "gpu-worker-0");
            var reply = await worker.Ask<object>(
                new RunInference(Guid.NewGuid().ToString("N"), modelId, input), settings.DefaultDeadline + TimeSpan.FromMinutes(1), cancellationToken);
            switch (reply)
            {
                case InferenceSucceeded done:
                    await File.WriteAllBytesAsync(outFile.FullName, done.Output, cancellationToken);
                    return new InferResult(
                        outFile.FullName, done.ContentType, done.Output.Length, done.Sha256, done.Provider.Provider,
                        done.Provider.DeviceId, done.Provider.FallbackReason,
                        Math.Round(done.Elapsed.TotalMilliseconds, 1), started.ElapsedMilliseconds);
                case InferenceFailed failed:
                    throw new CliException(ExitCodes.Failed, "inference", $"{failed.Reason}: {failed.Message}");
                default:
                    throw new CliException(ExitCodes.Failed, "inference", $"unexpected reply {reply}");
            }
        }, (context, result) =>
        {
            context.Out.WriteLine($"wrote {result.File} ({result.ContentType}, {result.Bytes} bytes)");
            context.Out.WriteLine($"sha256   {result.Sha256}");
            context.Out.WriteLine($"provider {result.Provider}{(result.DeviceId is { } id ? $" (device {id})" : "")}");
            if (result.Fallback is { } reason)
            {
                context.Out.WriteLine($"fallback {reason}");
            }

            context.Out.WriteLine($"time     task {result.TaskMs:F0} ms, total with session start {result.TotalMs} ms");
        });
        return command;
    }

    private static CliException BadInput(string message) => new(ExitCodes.BadInput, "bad-input", message);

    /// <summary>What `cuckoo infer` reports (the --json shape).</summary>
    internal sealed record InferResult(
        string File, string ContentType, int Bytes, string Sha256, string Provider, int? DeviceId, string? Fallback, double TaskMs, long TotalMs);
}
