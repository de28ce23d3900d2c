using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Inference.Catalog;
using Microsoft.AspNetCore.Http;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Gateway.Tasks;

/// <summary>The body of <c>POST /v1/tasks</c>.</summary>
/// <param name="Verify">Distinct miners that run it (default 1); a strict majority of their results decides; the coordinator's limit is in the 400 if exceeded.</param>
public sealed record TaskRequest(
    string? Model,
    TaskInputs? Inputs,
    Dictionary<string, JsonElement>? Parameters = null,
    List<string>? Miners = null,
    string? Id = null,
    int? Verify = null);

/// <summary>A text-to-image model takes <see cref="Prompt"/>; a text-detection model takes <see cref="ImageBase64"/>.</summary>
public sealed record TaskInputs(string? Prompt = null, string? ImageBase64 = null);

/// <summary>Why a request cannot become a task; the endpoint picks the shape (problem details or OpenAI's).</summary>
public sealed record RequestError(int Status, string Title, string Detail, string Code, string? Param = null)
{
    public IResult ToProblem() => GatewayProblems.Problem(Status, Title, Detail, Code);

    public IResult ToOpenAi() => GatewayProblems.OpenAiError(Status, Detail, Status == StatusCodes.Status429TooManyRequests ? "rate_limit_error" : "invalid_request_error", Code, Param);

    public static RequestError Invalid(string detail, string? param = null) =>
        new(StatusCodes.Status400BadRequest, "Invalid request", detail, "invalid_request", param);
}

/// <summary>
/// Checks a request against the model's catalog entry and turns it into the scheduler's <see cref="SubmitTask"/>. The
/// wire form for miners: a prompt as UTF-8, an image as its bytes; parameters as strings (width, height, seed, ...).
/// Task ids are scoped by app (<c>app/id</c> in the scheduler), so that one app can neither read nor block another's ids.
/// </summary>
public static partial class TaskBuilder
{
    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public static string Scoped(string app, string id) => $"{app}/{id}";

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static RequestError? TryBuild(TaskRequest request, string app, ModelCatalog catalog, out SubmitTask task)
    {
        task = null!;
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return RequestError.Invalid("model is required: one of GET /v1/models", "model");
        }
        if (!catalog.Contains(request.Model))
        {
            return UnknownModel(request.Model, catalog);
        }
        var spec = catalog.Get(request.Model);
        var id = request.Id ?? NewId();
        if (!IsValidId(id))
        {
            return RequestError.Invalid("id must be 1 to 128 of A-Z a-z 0-9 . _ -", "id");
        }
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Parameters ?? [])
        {
            if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
            {
                return RequestError.Invalid($"parameter '{name}' must be a string, number or boolean", $"parameters.{name}");
            }
            parameters[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }
        if (CheckSize(spec, parameters) is { } sizeError)
        {
            return sizeError;
        }
        var miners = new List<Address>();
        foreach (var text in request.Miners ?? [])
        {
            if (!Address.TryParse(text, out var miner))
            {
                return RequestError.Invalid($"miner '{text}' is not an address (0x and 40 hex digits)", "miners");
            }
            miners.Add(miner);
        }
        if (request.Verify is < 1)
        {
            return RequestError.Invalid($"verify must be at least 1, not {request.Verify}", "verify");
        }
        if (InputOf(spec, request.Inputs) is not { } input)
        {
            return InputError(spec, request.Inputs);
        }
        task = new SubmitTask(Scoped(app, id), app, spec.Id, input, parameters.Count == 0 ? null : parameters, miners.Count == 0 ? null : miners,
            Verify: request.Verify ?? 1);
        return null;
    }

    public static RequestError UnknownModel(string model, ModelCatalog catalog) =>
        new(StatusCodes.Status400BadRequest, "Unknown model",
            $"model '{model}' is not served here; known: {string.Join(", ", catalog.Models.Select(m => m.Id))}", "model_not_found", "model");

    /// <summary>width and height, when given, as integers within the model's limits.</summary>
    public static RequestError? CheckSize(ModelSpec spec, IReadOnlyDictionary<string, string> parameters)
    {
        foreach (var (name, min, max) in new[] { ("width", spec.Limits.MinWidth, spec.Limits.MaxWidth), ("height", spec.Limits.MinHeight, spec.Limits.MaxHeight) })
        {
            if (!parameters.TryGetValue(name, out var text))
            {
                continue;
            }
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < (min ?? 1) || value > (max ?? int.MaxValue))
            {
                return RequestError.Invalid($"{name} must be an integer from {min ?? 1} to {max?.ToString(CultureInfo.InvariantCulture) ?? "any"} for model '{spec.Id}'", $"parameters.{name}");
            }
        }
        return null;
    }

    /// <summary>A prompt's checks: present, within the model's length.</summary>
    public static RequestError? CheckPrompt(ModelSpec spec, string? prompt, string param)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return RequestError.Invalid($"model '{spec.Id}' needs a prompt", param);
        }
        if (spec.Limits.MaxPromptLength is { } max && prompt.Length > max)
        {
            return RequestError.Invalid($"the prompt has {prompt.Length} characters; model '{spec.Id}' takes at most {max}", param);
        }
        return null;
    }

    private static byte[]? InputOf(ModelSpec spec, TaskInputs? inputs)
    {
        switch (spec.Task)
        {
            case ModelTask.TextToImage when inputs?.ImageBase64 is null && CheckPrompt(spec, inputs?.Prompt, "inputs.prompt") is null:
                return Encoding.UTF8.GetBytes(inputs!.Prompt!);
            case ModelTask.TextDetection when inputs?.Prompt is null && inputs?.ImageBase64 is { Length: > 0 } b64:
                var buffer = new byte[b64.Length * 3 / 4 + 3];
                return Convert.TryFromBase64String(b64, buffer, out var n) && (spec.Limits.MaxImageBytes is not { } max || n <= max) ? buffer[..n] : null;
            default:
                return null;
        }
    }

    private static RequestError InputError(ModelSpec spec, TaskInputs? inputs) => spec.Task switch
    {
        ModelTask.TextToImage when inputs?.ImageBase64 is not null => RequestError.Invalid($"model '{spec.Id}' takes a prompt, not an image", "inputs.image_base64"),
        ModelTask.TextToImage => CheckPrompt(spec, inputs?.Prompt, "inputs.prompt")!,
        _ when inputs?.Prompt is not null => RequestError.Invalid($"model '{spec.Id}' takes an image, not a prompt", "inputs.prompt"),
        _ => RequestError.Invalid(
            $"model '{spec.Id}' needs inputs.image_base64: an image in base64 of at most {spec.Limits.MaxImageBytes?.ToString(CultureInfo.InvariantCulture) ?? "the body limit's"} bytes", "inputs.image_base64"),
    };
}
