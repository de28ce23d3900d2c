using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Cuckoo.Gateway;

/// <summary>
/// How the gateway answers: snake_case JSON (the OpenAI names apps know), RFC 9457 problem details for errors, and
/// OpenAI's <c>{error: {...}}</c> on the OpenAI-compatible endpoint, whose SDKs read only that.
/// </summary>
public static class GatewayProblems
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public static IResult Problem(int status, string title, string detail, string? code = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title,
            extensions: code is null ? null : new Dictionary<string, object?> { ["code"] = code });

    /// <summary>OpenAI's error body. <paramref name="type"/>: invalid_request_error, authentication_error, rate_limit_error, server_error.</summary>
    public static IResult OpenAiError(int status, string message, string type, string? code = null, string? param = null) =>
        Results.Json(new OpenAiErrorBody(new OpenAiErrorDetail(message, type, param, code)), Json, statusCode: status);

    /// <summary>"body is not JSON (at $.inputs)": the path says where, the exception's message would name our types.</summary>
    public static string Describe(JsonException e) =>
        string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the body is not valid JSON of the expected shape" : $"the body is not valid JSON of the expected shape (at {e.Path})";

    /// <summary>Whole seconds, rounded up: Retry-After has no fractions, and 0 would invite an immediate retry.</summary>
    public static string RetryAfterSeconds(TimeSpan? after) => Math.Max(1, (long)Math.Ceiling((after ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public sealed record OpenAiErrorBody(OpenAiErrorDetail Error);

    // Null members are written: the SDKs expect all four keys.
    public sealed record OpenAiErrorDetail(
        string Message,
        string Type,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
}
