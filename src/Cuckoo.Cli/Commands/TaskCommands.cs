using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cuckoo.Gateway.Tasks;

namespace Cuckoo.Cli.Commands;

/// <summary>
/// `cuckoo task submit | status | result`: an app's side of the coordinator's gateway, for trying a model from a
/// shell: submit, follow the task's events, write its output.
/// </summary>
internal static class TaskCommands
{
    public static Command Task()
    {
        var command = new Command("task", "Submit tasks to the coordinator's HTTP gateway as an app, follow them and fetch their results.");
        command.Subcommands.Add(Submit());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Result());
        return command;
    }

    private static Command Submit()
    {
        var o = new GatewayCliOptions();
        var model = new Option<string>("--model") { Description = "Model id (GET /v1/models lists them), e.g. cuckoo-cppn.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "The prompt, for text-to-image models." };
        var image = new Option<FileInfo?>("--image") { Description = "The input image, for image models (text detection)." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the result (PNG or JSON); missing folders are created.", Required = true };
        var parameters = new Option<string[]>("--param") { Description = "A model parameter as NAME=VALUE (repeatable), e.g. --param width=256 --param seed=7." };
        var miners = new Option<string[]>("--miner") { Description = "Only these miners may run it (repeatable address 0x…)." };
        var id = new Option<string?>("--id") { Description = "The task's id (1 to 128 of A-Z a-z 0-9 . _ -); submitting it again follows the same task. Default: a new one." };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for the result, e.g. 120s or 5m; the task goes on after it.", DefaultValueFactory = _ => "120s" };
        var verify = new Option<int?>("--verify") { Description = "Distinct miners that run it; a strict majority of their results decides, and a dissenter is jailed (default 1)." };
        var command = o.With(new Command("submit", "Submit a task, print one line per event (queued, assigned, completed), then write its result to --out.")
        {
            model, prompt, image, output, parameters, miners, id, timeout, verify,
        });
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var p = ctx.Parse;
            var wait = ParseTimeout(p.GetValue(timeout));
            var outFile = OutFile(p.GetValue(output)!);
            var request = new TaskRequest(
                p.GetValue(model)!.Trim(),
                await InputsAsync(p.GetValue(prompt), p.GetValue(image), ct),
                Parameters(p.GetValue(parameters) ?? []),
                Miners(p.GetValue(miners) ?? []),
                p.GetValue(id) is { } given ? CheckId(given.Trim(), "--id") : null,
                p.GetValue(verify) is { } k ? k >= 1 ? k : throw new CliException(ExitCodes.BadInput, "bad-input", $"--verify must be at least 1, not {k}") : null);
            using var gateway = GatewayClient.Open(ctx, o);

            var clock = Stopwatch.StartNew();
            var accepted = await gateway.SubmitAsync(request, ct);
            var taskId = accepted.Id;
            var progress = new Progress(ctx, clock);
            progress.Line($"task {taskId} submitted to {gateway.Url}");
            if (accepted.Duplicate == true)
            {
                progress.Line($"task {taskId} was submitted before; following it");
            }
            progress.Show(accepted.Status, accepted);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(wait);
            TaskView final;
            TaskOutput result;
            try
            {
                final = await FollowAsync(gateway, taskId, accepted, progress, deadline.Token);
                if (final.Status == "failed")
                {
                    throw new CliException(ExitCodes.Failed, "task-failed", $"task {taskId} failed: {final.Error ?? "the gateway gave no reason"}");
                }
                result = await gateway.ResultAsync(taskId, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.Failed, "timeout",
                    $"task {taskId} did not finish within {wait.TotalSeconds:0} s; it goes on at the gateway: `cuckoo task status {taskId}`, then `cuckoo task result {taskId} --out FILE`");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.Failed, "cancelled", $"stopped waiting; task {taskId} goes on at the gateway: `cuckoo task status {taskId}`");
            }
            await WriteAsync(outFile, result, ct);
            return new SubmittedView(taskId, final.Status, outFile.FullName, result.Bytes.Length, result.ContentType, result.Miner ?? final.Miner, final.Attempt,
                result.OutputDigest, Math.Round(clock.Elapsed.TotalSeconds, 3));
        }, (ctx, v) => ctx.Out.WriteLine(Wrote(v.File, v.Bytes, v.ContentType, v.Miner, v.OutputDigest)));
        return command;
    }

    private static Command Status()
    {
        var o = new GatewayCliOptions();
        var id = new Argument<string>("id") { Description = "The task's id, as `task submit` printed it." };
        var command = o.With(new Command("status", "Show where a task stands: queued, assigned (to which miner), completed (its result) or failed (why).") { id });
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var taskId = CheckId(ctx.Parse.GetValue(id) ?? "", "ID");
            using var gateway = GatewayClient.Open(ctx, o);
            return await gateway.GetAsync(taskId, ct);
        }, (ctx, v) => ctx.Out.WriteLine($"task {v.Id}: {Describe(v)}"));
        return command;
    }

    private static Command Result()
    {
        var o = new GatewayCliOptions();
        var id = new Argument<string>("id") { Description = "The task's id, as `task submit` printed it." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the result (PNG or JSON); missing folders are created.", Required = true };
        var command = o.With(new Command("result", "Write a completed task's result to --out.") { id, output });
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var taskId = CheckId(ctx.Parse.GetValue(id) ?? "", "ID");
            var outFile = OutFile(ctx.Parse.GetValue(output)!);
            using var gateway = GatewayClient.Open(ctx, o);
            var result = await gateway.ResultAsync(taskId, ct);
            await WriteAsync(outFile, result, ct);
            return new ResultView(taskId, outFile.FullName, result.Bytes.Length, result.ContentType, result.Miner, result.OutputDigest);
        }, (ctx, v) => ctx.Out.WriteLine(Wrote(v.File, v.Bytes, v.ContentType, v.Miner, v.OutputDigest)));
        return command;
    }

    /// <summary>
    /// Follows the task's events to its final state. The stream starts with the current state, which the submit's
    /// answer may already have shown; a stream cut before the end is checked with one status query.
    /// </summary>
    private static async Task<TaskView> FollowAsync(GatewayClient gateway, string id, TaskView current, Progress progress, CancellationToken cancellationToken)
    {
        if (IsFinal(current))
        {
            return current;
        }
        await foreach (var (name, view) in gateway.EventsAsync(id, cancellationToken))
        {
            progress.Show(name, view);
            if (IsFinal(view))
            {
                return view;
            }
        }
        var now = await gateway.GetAsync(id, cancellationToken);
        progress.Show(now.Status, now);
        return IsFinal(now)
            ? now
            : throw new CliException(ExitCodes.Chain, "stream-ended",
                $"the gateway at {gateway.Url} closed the event stream of task {id} while it was {now.Status} (the coordinator stopped?); `cuckoo task status {id}` says where it stands");
    }

    private static bool IsFinal(TaskView view) => view.Status is "completed" or "failed";

    /// <summary>One line per change of state, with the time since the submit for the last one; none with --json.</summary>
    private sealed class Progress(CliContext ctx, Stopwatch clock)
    {
        private TaskView? _last;

        public void Line(string text)
        {
            if (!ctx.Json)
            {
                ctx.Out.WriteLine(text);
            }
        }

        public void Show(string name, TaskView view)
        {
            // The gateway's records compare by value: the stream's first event repeats the submit's answer.
            var shown = view with { Duplicate = null };
            if (shown == _last)
            {
                return;
            }
            _last = shown;
            Line(name switch
            {
                "queued" when view.Attempts is > 0 => $"queued again after {Attempts(view.Attempts.Value)}",
                "queued" => "queued",
                "assigned" => $"assigned to {view.Miner} (attempt {view.Attempt})",
                "running" => $"running on {view.Miner} (attempt {view.Attempt})",
                "completed" => $"completed in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
                "failed" => $"failed: {view.Error}",
                // A state this CLI does not know yet (a later gateway's): its name still tells the user something.
                _ => name,
            });
        }
    }

    private static string Attempts(int n) => n == 1 ? "1 attempt" : $"{n} attempts";

    private static string Describe(TaskView v) => v.Status switch
    {
        "queued" => v.Attempts is > 0 ? $"queued again after {Attempts(v.Attempts.Value)}" : "queued, waiting for a miner",
        "assigned" => $"assigned to {v.Miner} (attempt {v.Attempt}), waiting for its model",
        "running" => $"running on {v.Miner} (attempt {v.Attempt})",
        "completed" when v.Result is { } r => $"completed by {r.Miner} (attempt {r.Attempt}); result {r.Bytes} bytes {r.ContentType}, digest {r.OutputDigest}: `cuckoo task result {v.Id} --out FILE`",
        "failed" => $"failed: {v.Error}",
        _ => v.Status,
    };

    private static string Wrote(string file, int bytes, string contentType, string? miner, string? digest) =>
        $"wrote {file} ({bytes} bytes, {contentType}){(miner is null ? "" : $" from miner {miner}")}{(digest is null ? "" : $", digest {digest}")}";

    private static async Task<TaskInputs> InputsAsync(string? prompt, FileInfo? image, CancellationToken cancellationToken)
    {
        switch (prompt, image)
        {
            case (not null, not null):
                throw new CliException(ExitCodes.BadInput, "bad-input", "give --prompt or --image, not both: a model takes one kind of input");
            case (null, null):
                throw new CliException(ExitCodes.BadInput, "bad-input", "an input is required: --prompt TEXT for text-to-image models, --image FILE for image models");
            case (not null, null):
                return string.IsNullOrWhiteSpace(prompt)
                    ? throw new CliException(ExitCodes.BadInput, "bad-input", "--prompt is empty")
                    : new TaskInputs(Prompt: prompt);
            default:
                if (!image!.Exists)
                {
                    throw new CliException(ExitCodes.BadInput, "file", $"--image {image.FullName} does not exist");
                }
                return new TaskInputs(ImageBase64: Convert.ToBase64String(await File.ReadAllBytesAsync(image.FullName, cancellationToken)));
        }
    }

    /// <summary>NAME=VALUE pairs, sent as strings: the gateway hands every parameter to the miner as a string anyway.</summary>
    private static Dictionary<string, JsonElement>? Parameters(string[] pairs)
    {
        if (pairs.Length == 0)
        {
            return null;
        }
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var name = at > 0 ? pair[..at].Trim() : "";
            if (name.Length == 0)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", $"--param '{pair}' is not NAME=VALUE, e.g. width=256");
            }
            if (!result.TryAdd(name, JsonSerializer.SerializeToElement(pair[(at + 1)..].Trim())))
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", $"--param {name} is given twice");
            }
        }
        return result;
    }

    private static List<string>? Miners(string[] miners) =>
        miners.Length == 0 ? null : [.. miners.Select(m => CliRun.ParseAddress(m, "--miner").ToString())];

    private static string CheckId(string id, string what) =>
        TaskBuilder.IsValidId(id) ? id : throw new CliException(ExitCodes.BadInput, "bad-input", $"{what} '{id}' is not a task id: 1 to 128 of A-Z a-z 0-9 . _ -");

    private static FileInfo OutFile(FileInfo file) =>
        Directory.Exists(file.FullName)
            ? throw new CliException(ExitCodes.BadInput, "file", $"--out {file.FullName} is a folder; name the file to write, e.g. {Path.Combine(file.FullName, "out.png")}")
            : file;

    private static async Task WriteAsync(FileInfo file, TaskOutput result, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(file.DirectoryName!);
        await File.WriteAllBytesAsync(file.FullName, result.Bytes, cancellationToken);
    }

    /// <summary>"120s", "5m", "1h" or plain seconds; positive, at most a day.</summary>
    internal static TimeSpan ParseTimeout(string? text)
    {
        var value = (text ?? "").Trim().ToLowerInvariant();
        var (digits, unit) = value.Length > 0 && char.IsAsciiLetter(value[^1]) ? (value[..^1], value[^1]) : (value, 's');
        var seconds = unit switch { 's' => 1d, 'm' => 60d, 'h' => 3_600d, _ => 0d };
        if (seconds == 0 || !double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n <= 0 || n * seconds > 86_400)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"--timeout '{text}' is not a duration such as 120s, 5m or 1h (at most 24h)");
        }
        return TimeSpan.FromSeconds(n * seconds);
    }

    private sealed record SubmittedView(string Id, string Status, string File, int Bytes, string ContentType, string? Miner, int? Attempt, string? OutputDigest, double Seconds);

    private sealed record ResultView(string Id, string File, int Bytes, string ContentType, string? Miner, string? OutputDigest);
}
