using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;

namespace Cuckoo.Cli.Commands;

/// <summary>
/// `cuckoo infer`: runs one task through a local GPU worker under its backoff supervisor, the same path a miner uses,
/// so an operator can check a machine (provider, speed, digest) before joining a cluster.
/// </summary>
internal static class InferCommand
{
    /// <summary>
    /// Akka logs to stdout; `infer` prints its own result (one JSON object with --json) and its own failure sentence,
    /// so the actor system stays silent.
    /// </summary>
    private const string ActorSystemConfig = """
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-dead-letters = off
        akka.log-config-on-start = off
        """;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model id from the catalog (cuckoo-cppn, ppocr-v4-det).", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Prompt for text-to-image models." };
        var promptFile = new Option<FileInfo?>("--prompt-file") { Description = "Read the prompt from a UTF-8 text file (for long prompts)." };
        var image = new Option<FileInfo?>("--image") { Description = "PNG input for image models (text detection)." };
        var seed = new Option<long?>("--seed") { Description = "Seed for text-to-image models (catalog default when left out)." };
        var width = new Option<int?>("--width") { Description = "Image width for text-to-image models." };
        var height = new Option<int?>("--height") { Description = "Image height for text-to-image models." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the output (PNG or JSON); missing folders are created.", Required = true };
        var catalog = new Option<FileInfo?>("--catalog") { Description = "Model catalog (default config/models.json)." };
        var provider = new Option<string>("--provider") { Description = "cpu or cuda (falls back to cpu with the reason).", DefaultValueFactory = _ => "cpu" };
        var device = new Option<int>("--device") { Description = "CUDA device id.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (0: ONNX Runtime's choice).", DefaultValueFactory = _ => 0 };
        var deadline = new Option<double>("--deadline") { Description = "Seconds before the task is terminated.", DefaultValueFactory = _ => 120 };

        var json = new Option<bool>("--json") { Description = "Print the result (or the error) as JSON." };

        var command = new Command("infer", "Run a model locally through a GPU worker and write its output.")
        {
            model, prompt, promptFile, image, seed, width, height, output, catalog, provider, device, threads, deadline, json,
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
                case ModelTask.TextToImage:
                    var text = await ReadPromptAsync(parse.GetValue(prompt), parse.GetValue(promptFile), modelId, cancellationToken);
                    // Checked here too, so that an overlong prompt is refused before any session is created.
                    if (spec.Limits.MaxPromptLength is { } limit && text.Length > limit)
                    {
                        throw BadInput($"the prompt has {text.Length} characters; model '{modelId}' takes at most {limit}");
                    }

                    input = new TextToImageInput(text, parse.GetValue(seed), parse.GetValue(width), parse.GetValue(height));
                    break;
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

            if (Directory.Exists(outFile.FullName))
            {
                throw BadInput($"--out {outFile.FullName} is a folder; name the file to write");
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

            var started = Stopwatch.StartNew();
            var system = ActorSystem.Create("cuckoo-infer", ConfigurationFactory.ParseString(ActorSystemConfig));
            object reply;
            try
            {
                var worker = system.ActorOf(GpuWorkerSupervisor.Props(models, modelId, settings), "gpu-worker-0");
                reply = await worker.Ask<object>(
                    new RunInference(Guid.NewGuid().ToString("N"), modelId, input), settings.DefaultDeadline + TimeSpan.FromMinutes(1), cancellationToken);
            }
            catch (AskTimeoutException e)
            {
                throw new CliException(ExitCodes.Failed, "timeout", $"the worker did not answer within {settings.DefaultDeadline.TotalSeconds + 60:F0} s", e);
            }
            finally
            {
                await system.Terminate();
            }

            switch (reply)
            {
                case InferenceSucceeded done:
                    await WriteOutputAsync(outFile, done.Output, cancellationToken);
                    return new InferResult(
                        outFile.FullName, done.ContentType, done.Output.Length, done.Sha256, done.Provider.Provider,
                        done.Provider.DeviceId, done.Provider.FallbackReason,
                        Math.Round(done.Elapsed.TotalMilliseconds, 1), started.ElapsedMilliseconds);
                case InferenceFailed { Reason: InferenceFailure.InvalidInput or InferenceFailure.UnknownModel } refused:
                    throw BadInput(refused.Message);
                case InferenceFailed failed:
                    throw new CliException(ExitCodes.Failed, "inference", $"{failed.Reason}: {failed.Message}");
                case RefusedWhileRestarting:
                    throw new CliException(ExitCodes.Failed, "inference", $"the session of '{modelId}' broke and is being re-created; try again");
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

    /// <summary>The prompt from --prompt or --prompt-file (exactly one), without the file's trailing line break.</summary>
    private static async Task<string> ReadPromptAsync(string? prompt, FileInfo? file, string modelId, CancellationToken cancellationToken)
    {
        switch (prompt, file)
        {
            case (not null, not null):
                throw BadInput("give the prompt with --prompt or --prompt-file, not both");
            case (not null, null):
                return prompt;
            case (null, null):
                throw BadInput($"model '{modelId}' needs --prompt TEXT or --prompt-file FILE");
        }

        if (!file.Exists)
        {
            throw BadInput($"prompt file {file.FullName} does not exist");
        }

        try
        {
            var text = await File.ReadAllTextAsync(file.FullName, new UTF8Encoding(false, throwOnInvalidBytes: true), cancellationToken);
            return text.TrimEnd('\r', '\n');
        }
        catch (DecoderFallbackException e)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"prompt file {file.FullName} is not UTF-8 text", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"prompt file {file.FullName} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Writes the output, creating missing folders; a path that cannot be written gets one sentence.</summary>
    private static async Task WriteOutputAsync(FileInfo file, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(file.DirectoryName!);
            await File.WriteAllBytesAsync(file.FullName, bytes, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.BadInput, "bad-output", $"cannot write {file.FullName}: {e.Message}", e);
        }
    }

    private static CliException BadInput(string message) => new(ExitCodes.BadInput, "bad-input", message);

    /// <summary>What `cuckoo infer` reports (the --json shape).</summary>
    internal sealed record InferResult(
        string File, string ContentType, int Bytes, string Sha256, string Provider, int? DeviceId, string? Fallback, double TaskMs, long TotalMs);
}
