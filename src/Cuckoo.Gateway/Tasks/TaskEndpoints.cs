using System.Text.Json;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Inference.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;
using Cuckoo.Cluster.Http;

namespace Cuckoo.Gateway.Tasks;

/// <summary><c>/v1/tasks</c>: submit, status, result and a stream of status changes, each for the calling app's tasks only.</summary>
public static class TaskEndpoints
{
    public static RouteGroupBuilder MapTasks(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/tasks").AddEndpointFilterFactory(ApiKeyAuth.Problems).WithTags("tasks");
        group.MapPost("", SubmitAsync)
            .Accepts<TaskRequest>("application/json")
            .Produces<TaskView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/{id}", GetAsync).Produces<TaskView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/result", ResultAsync).Produces(StatusCodes.Status200OK, contentType: "image/png", additionalContentTypes: ["application/json"])
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}/events", TaskEventStream.RunAsync).Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, GatewayScheduler scheduler, ModelCatalog catalog, GatewayOptions options)
    {
        var app = ApiKeyAuth.AppOf(http);
        var (request, error) = await ReadJsonAsync<TaskRequest>(http, options.MaxTaskBodyBytes);
        if (error is not null)
        {
            return error.ToProblem();
        }
        if (TaskBuilder.TryBuild(request!, app, catalog, out var task) is { } invalid)
        {
            return invalid.ToProblem();
        }
        var id = task.TaskId[(app.Length + 1)..];
        object reply;
        try
        {
            reply = await scheduler.SubmitAsync(task, options.SchedulerTimeout, http.RequestAborted);
        }
        catch (TimeoutException e)
        {
            return TaskViews.Unavailable(e.Message).ToProblem();
        }
        if (reply is TaskRejected rejected)
        {
            return TaskViews.ToError(rejected, http.Response).ToProblem();
        }
        var accepted = (TaskAccepted)reply;
        http.Response.Headers.Location = $"/v1/tasks/{Uri.EscapeDataString(id)}";
        return Results.Json(TaskViews.ToView(id, accepted.Status, accepted.Duplicate ? true : null), GatewayProblems.Json, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, GatewayScheduler scheduler, GatewayOptions options)
    {
        var (status, problem) = await StatusAsync(id, http, scheduler, options);
        return problem ?? Results.Json(TaskViews.ToView(id, status!), GatewayProblems.Json);
    }

    private static async Task<IResult> ResultAsync(string id, HttpContext http, GatewayScheduler scheduler, GatewayOptions options)
    {
        var (status, problem) = await StatusAsync(id, http, scheduler, options);
        switch (status)
        {
            case null:
                return problem!;
            case TaskStatus.Completed completed:
                var result = completed.Result;
                http.Response.Headers["X-Cuckoo-Output-Digest"] = result.OutputDigest;
                http.Response.Headers["X-Cuckoo-Miner"] = result.Miner.ToString();
                return Results.Bytes(result.Output, TaskViews.ContentTypeOf(result.Output));
            case TaskStatus.Failed failed:
                return GatewayProblems.Problem(StatusCodes.Status409Conflict, "Task failed", $"task {id} failed and has no result: {failed.Reason}", "task_failed");
            default:
                return GatewayProblems.Problem(StatusCodes.Status409Conflict, "Task not finished",
                    $"task {id} is {TaskViews.NameOf(status)}; its result is here once it completes (GET /v1/tasks/{id}/events says when)", "task_not_finished");
        }
    }

    /// <summary>The task's status, or the problem to answer instead (404 for an id this app never used or long forgotten).</summary>
    internal static async Task<(TaskStatus? Status, IResult? Problem)> StatusAsync(string id, HttpContext http, GatewayScheduler scheduler, GatewayOptions options)
    {
        if (!TaskBuilder.IsValidId(id))
        {
            return (null, NotFound(id));
        }
        try
        {
            var status = await scheduler.GetAsync(TaskBuilder.Scoped(ApiKeyAuth.AppOf(http), id), options.SchedulerTimeout, http.RequestAborted);
            return status is TaskStatus.Unknown ? (null, NotFound(id)) : (status, null);
        }
        catch (TimeoutException e)
        {
            return (null, TaskViews.Unavailable(e.Message).ToProblem());
        }
    }

    internal static IResult NotFound(string id) =>
        GatewayProblems.Problem(StatusCodes.Status404NotFound, "Unknown task", $"no task {id} of this app is known (never submitted, or finished long ago)", "task_not_found");

    /// <summary>A body within <paramref name="limit"/> bytes parsed as <typeparamref name="T"/>, or why not: 413 over the limit, 400 otherwise.</summary>
    internal static async Task<(T? Value, RequestError? Error)> ReadJsonAsync<T>(HttpContext http, int limit)
        where T : class
    {
        byte[]? body;
        try
        {
            body = await HttpRequests.ReadBodyAsync(http.Request, limit, http.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            return (null, RequestError.Invalid("the body could not be read as sent"));
        }
        if (body is null)
        {
            return (null, new RequestError(StatusCodes.Status413PayloadTooLarge, "Body too large", $"the body is larger than {limit} bytes", "body_too_large"));
        }
        try
        {
            return JsonSerializer.Deserialize<T>(body, GatewayProblems.Json) is { } value
                ? (value, null)
                : (null, RequestError.Invalid("the body is JSON null; an object is expected"));
        }
        catch (JsonException e)
        {
            return (null, new RequestError(StatusCodes.Status400BadRequest, "Malformed JSON", GatewayProblems.Describe(e), "malformed_json"));
        }
    }
}
