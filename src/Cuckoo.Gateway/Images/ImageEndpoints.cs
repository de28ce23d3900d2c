using System.Globalization;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Gateway.Tasks;
using Cuckoo.Inference.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Gateway.Images;

/// <summary>The body of OpenAI's <c>POST /v1/images/generations</c>; members we do not use (quality, style, user) are ignored.</summary>
public sealed record ImageGenerationRequest(string? Prompt, string? Model = null, int? N = null, string? Size = null, string? ResponseFormat = null);

public sealed record ImageGenerationResponse(long Created, IReadOnlyList<ImageData> Data);

public sealed record ImageData(string? B64Json = null, string? Url = null, string? RevisedPrompt = null);

/// <summary>
/// <c>POST /v1/images/generations</c> as OpenAI's SDKs call it: n tasks (seeds 0..n-1, so that the images differ and are
/// reproducible) submitted at once and awaited together, answered in OpenAI's shapes, errors included.
/// </summary>
public static class ImageEndpoints
{
    public static RouteGroupBuilder MapImages(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/images").AddEndpointFilterFactory(ApiKeyAuth.OpenAi).WithTags("images");
        group.MapPost("/generations", GenerateAsync)
            .Accepts<ImageGenerationRequest>("application/json")
            .Produces<ImageGenerationResponse>()
            .Produces<GatewayProblems.OpenAiErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<GatewayProblems.OpenAiErrorBody>(StatusCodes.Status429TooManyRequests)
            .Produces<GatewayProblems.OpenAiErrorBody>(StatusCodes.Status504GatewayTimeout);
        return group;
    }

    private static async Task<IResult> GenerateAsync(HttpContext http, GatewayScheduler scheduler, ModelCatalog catalog, GatewayOptions options)
    {
        var app = ApiKeyAuth.AppOf(http);
        var (request, error) = await TaskEndpoints.ReadJsonAsync<ImageGenerationRequest>(http, options.MaxImageBodyBytes);
        if (error is not null)
        {
            return error.ToOpenAi();
        }
        if (Validate(request!, catalog, options, out var spec, out var width, out var height) is { } invalid)
        {
            return invalid.ToOpenAi();
        }
        var n = request!.N ?? 1;
        var asUrl = request.ResponseFormat == "url";
        var batch = TaskBuilder.NewId();
        var ids = Enumerable.Range(0, n).Select(i => $"img-{batch}-{i}").ToArray();
        var subscriptions = new List<GatewayScheduler.Subscription>();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            deadline.CancelAfter(options.ImageTimeout);
            for (var i = 0; i < n; i++)
            {
                var parameters = new Dictionary<string, string>
                {
                    ["width"] = width.ToString(CultureInfo.InvariantCulture),
                    ["height"] = height.ToString(CultureInfo.InvariantCulture),
                    ["seed"] = i.ToString(CultureInfo.InvariantCulture),
                };
                var task = new SubmitTask(TaskBuilder.Scoped(app, ids[i]), app, spec.Id, System.Text.Encoding.UTF8.GetBytes(request.Prompt!), parameters);
                object reply;
                try
                {
                    reply = await scheduler.SubmitAsync(task, options.SchedulerTimeout, http.RequestAborted);
                }
                catch (TimeoutException e)
                {
                    return TaskViews.Unavailable(e.Message).ToOpenAi();
                }
                if (reply is TaskRejected rejected)
                {
                    // Tasks accepted before this one still run; their results stay readable under /v1/tasks.
                    return TaskViews.ToError(rejected, http.Response).ToOpenAi();
                }
                // Subscribed after acceptance: the first status is the current one, so nothing is missed.
                subscriptions.Add(scheduler.Subscribe(task.TaskId));
            }
            var finals = new TaskStatus[n];
            try
            {
                for (var i = 0; i < n; i++)
                {
                    await foreach (var status in subscriptions[i].Statuses.ReadAllAsync(deadline.Token))
                    {
                        finals[i] = status;
                    }
                }
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
            {
                return GatewayProblems.OpenAiError(StatusCodes.Status504GatewayTimeout,
                    $"the images were not ready within {options.ImageTimeout.TotalSeconds:0.#} s; the tasks go on: GET /v1/tasks/{ids[0]} and the others of batch {batch}",
                    "server_error", "timeout");
            }
            var data = new List<ImageData>(n);
            for (var i = 0; i < n; i++)
            {
                if (finals[i] is not TaskStatus.Completed completed)
                {
                    var reason = finals[i] is TaskStatus.Failed failed ? failed.Reason : "its status was lost";
                    return GatewayProblems.OpenAiError(StatusCodes.Status502BadGateway, $"image {i + 1} of {n} failed: {reason}", "server_error", "task_failed");
                }
                data.Add(asUrl
                    ? new ImageData(Url: $"{http.Request.Scheme}://{http.Request.Host}{TaskViews.ResultPath(ids[i])}", RevisedPrompt: request.Prompt)
                    : new ImageData(B64Json: Convert.ToBase64String(completed.Result.Output), RevisedPrompt: request.Prompt));
            }
            return Results.Json(new ImageGenerationResponse(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), data), GatewayProblems.Json);
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }
        }
    }

    private static RequestError? Validate(ImageGenerationRequest request, ModelCatalog catalog, GatewayOptions options, out ModelSpec spec, out int width, out int height)
    {
        spec = null!;
        width = height = 0;
        var model = request.Model ?? catalog.Models.FirstOrDefault(m => m.Task == ModelTask.TextToImage)?.Id;
        if (model is null)
        {
            return RequestError.Invalid("this node serves no text-to-image model", "model");
        }
        if (!catalog.Contains(model))
        {
            return TaskBuilder.UnknownModel(model, catalog);
        }
        spec = catalog.Get(model);
        if (spec.Task != ModelTask.TextToImage)
        {
            return RequestError.Invalid($"model '{model}' is not a text-to-image model", "model");
        }
        if (TaskBuilder.CheckPrompt(spec, request.Prompt, "prompt") is { } promptError)
        {
            return promptError;
        }
        if (request.N is { } n && (n < 1 || n > options.MaxImagesPerRequest))
        {
            return RequestError.Invalid($"n must be from 1 to {options.MaxImagesPerRequest}", "n");
        }
        if (request.ResponseFormat is not (null or "b64_json" or "url"))
        {
            return RequestError.Invalid("response_format must be b64_json or url", "response_format");
        }
        width = spec.Defaults.Width ?? 256;
        height = spec.Defaults.Height ?? 256;
        if (request.Size is { } size && size != "auto")
        {
            var parts = size.Split('x');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out width)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out height))
            {
                return RequestError.Invalid("size must be WIDTHxHEIGHT, e.g. 256x256", "size");
            }
        }
        return TaskBuilder.CheckSize(spec, new Dictionary<string, string>
        {
            ["width"] = width.ToString(CultureInfo.InvariantCulture),
            ["height"] = height.ToString(CultureInfo.InvariantCulture),
        }) is { } sizeError ? sizeError with { Param = "size" } : null;
    }
}
