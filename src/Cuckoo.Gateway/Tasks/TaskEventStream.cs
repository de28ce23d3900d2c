using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Gateway.Tasks;

/// <summary>
/// <c>GET /v1/tasks/{id}/events</c>: server-sent events, one <c>event: queued|assigned|running|completed|failed</c> with
/// the task view as data per change, starting with the current state, ending after the final one. <c>running</c> comes
/// when the miner's model begins the attempt (it may first wait behind another task in the miner's queue); a state
/// already past when the stream starts is not repeated.
/// </summary>
internal static class TaskEventStream
{
    public static async Task<IResult> RunAsync(string id, HttpContext http, GatewayScheduler scheduler, GatewayOptions options)
    {
        if (!TaskBuilder.IsValidId(id))
        {
            return TaskEndpoints.NotFound(id);
        }
        var aborted = http.RequestAborted;
        GatewayScheduler.Subscription subscription;
        try
        {
            subscription = scheduler.Subscribe(TaskBuilder.Scoped(ApiKeyAuth.AppOf(http), id));
        }
        catch (TimeoutException e)
        {
            return TaskViews.Unavailable(e.Message).ToProblem();
        }
        using var _ = subscription;
        var statuses = subscription.Statuses;
        // The first status decides between a 404 and a stream, so it is read before the response starts; a scheduler
        // that does not answer in time is a 503, as for the other task endpoints.
        using var first = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        first.CancelAfter(options.SchedulerTimeout);
        TaskStatus? current;
        try
        {
            current = await statuses.WaitToReadAsync(first.Token) && statuses.TryRead(out var read) ? read : null;
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return TaskViews.Unavailable($"the scheduler did not answer within {options.SchedulerTimeout.TotalSeconds:0.#} s").ToProblem();
        }
        if (current is null or TaskStatus.Unknown)
        {
            return TaskEndpoints.NotFound(id);
        }
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx would otherwise hold events back in their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(aborted);
        await SendAsync(response, id, current, aborted);
        await foreach (var status in statuses.ReadAllAsync(aborted))
        {
            await SendAsync(response, id, status, aborted);
        }
        return Results.Empty;
    }

    private static async Task SendAsync(HttpResponse response, string id, TaskStatus status, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(TaskViews.ToView(id, status), GatewayProblems.Json);
        await response.WriteAsync($"event: {TaskViews.NameOf(status)}\ndata: {data}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
