using Cuckoo.Coordinator.Scheduler;
using Microsoft.AspNetCore.Http;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Gateway.Tasks;

/// <summary>A task as apps see it: <c>status</c> is queued, assigned, running, completed, failed (or unknown).</summary>
public sealed record TaskView(
    string Id,
    string Status,
    int? Attempts = null,
    string? Miner = null,
    int? Attempt = null,
    string? Error = null,
    TaskResultView? Result = null,
    bool? Duplicate = null);

/// <param name="Url">Where the output is: <c>/v1/tasks/{id}/result</c>.</param>
public sealed record TaskResultView(string Url, string ContentType, int Bytes, string OutputDigest, string Miner, int Attempt, string Signature);

public static class TaskViews
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>The event and status name of a state.</summary>
    public static string NameOf(TaskStatus status) => status switch
    {
        TaskStatus.Queued => "queued",
        TaskStatus.Assigned { Running: true } => "running",
        TaskStatus.Assigned => "assigned",
        TaskStatus.Completed => "completed",
        TaskStatus.Failed => "failed",
        _ => "unknown",
    };

    /// <param name="id">The app's id (the scheduler's is scoped by app).</param>
    public static TaskView ToView(string id, TaskStatus status, bool? duplicate = null) => status switch
    {
        TaskStatus.Queued q => new TaskView(id, "queued", Attempts: q.Attempts, Duplicate: duplicate),
        TaskStatus.Assigned a => new TaskView(id, NameOf(a), Miner: a.Miner.ToString(), Attempt: a.Attempt, Duplicate: duplicate),
        TaskStatus.Completed c => new TaskView(id, "completed", Miner: c.Result.Miner.ToString(), Attempt: c.Result.Attempt, Duplicate: duplicate, Result: new TaskResultView(
            ResultPath(id), ContentTypeOf(c.Result.Output), c.Result.Output.Length, c.Result.OutputDigest, c.Result.Miner.ToString(), c.Result.Attempt, c.Result.Signature)),
        TaskStatus.Failed f => new TaskView(id, "failed", Error: f.Reason, Duplicate: duplicate),
        _ => new TaskView(id, "unknown", Duplicate: duplicate),
    };

    public static string ResultPath(string id) => $"/v1/tasks/{Uri.EscapeDataString(id)}/result";

    /// <summary>image/png for a PNG (text-to-image), JSON otherwise (the OCR runner writes canonical JSON).</summary>
    public static string ContentTypeOf(byte[] output) => output.AsSpan().StartsWith(PngSignature) ? "image/png" : "application/json";

    /// <summary>QueueFull and QuotaExceeded: 429 with Retry-After; Invalid: 400; IdInUse: 409.</summary>
    public static RequestError ToError(TaskRejected rejected, HttpResponse response)
    {
        if (rejected.Reason is RejectReason.QueueFull or RejectReason.QuotaExceeded)
        {
            response.Headers.RetryAfter = GatewayProblems.RetryAfterSeconds(rejected.RetryAfter);
        }
        return rejected.Reason switch
        {
            RejectReason.QueueFull => new(StatusCodes.Status429TooManyRequests, "Queue full", rejected.Explanation, "queue_full"),
            RejectReason.QuotaExceeded => new(StatusCodes.Status429TooManyRequests, "Quota exceeded", rejected.Explanation, "quota_exceeded"),
            RejectReason.IdInUse => new(StatusCodes.Status409Conflict, "Task id in use", rejected.Explanation, "id_in_use", "id"),
            _ => RequestError.Invalid(rejected.Explanation),
        };
    }

    public static RequestError Unavailable(string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, "Scheduler unavailable", $"{detail}; try again shortly", "scheduler_unavailable");
}
