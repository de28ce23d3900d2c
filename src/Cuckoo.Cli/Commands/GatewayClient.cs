using System.Net.ServerSentEvents;
using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cuckoo.Gateway;
using Cuckoo.Gateway.Tasks;

namespace Cuckoo.Cli.Commands;

/// <summary>The options every `task` command shares; each command gets its own instances.</summary>
internal sealed class GatewayCliOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public Option<bool> Json { get; } = new("--json") { Description = "Print the result (or the error) as JSON." };

    public Option<string?> Gateway { get; } = new("--gateway")
    {
        Description = $"The coordinator's gateway URL (default: env CUCKOO_GATEWAY, else {DefaultUrl}).",
    };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "Your app's API key (default: env CUCKOO_API_KEY; `cuckoo apikey new` makes one)." };

    public Command With(Command command)
    {
        command.Options.Add(Json);
        command.Options.Add(Gateway);
        command.Options.Add(ApiKey);
        return command;
    }

    /// <summary>The gateway and key, checked before anything is sent (exit 2 when wrong or missing).</summary>
    public (Uri Url, string Key) Resolve(CliContext ctx)
    {
        var text = ctx.Parse.GetValue(Gateway) is { } g && !string.IsNullOrWhiteSpace(g) ? g.Trim()
            : Environment.GetEnvironmentVariable("CUCKOO_GATEWAY") is { } e && !string.IsNullOrWhiteSpace(e) ? e.Trim()
            : DefaultUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"--gateway '{text}' is not an http(s) URL, e.g. {DefaultUrl}");
        }
        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"refusing to send the API key in clear to {url.Host} (--gateway {text}): use an https URL, or a tunnel to 127.0.0.1");
        }
        var key = ctx.Parse.GetValue(ApiKey) is { } k && !string.IsNullOrWhiteSpace(k) ? k.Trim()
            : Environment.GetEnvironmentVariable("CUCKOO_API_KEY") is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim()
            : throw new CliException(ExitCodes.BadInput, "no-api-key", "no API key: pass --api-key KEY or set CUCKOO_API_KEY (`cuckoo apikey new --app NAME` makes one)");
        return (url, key);
    }
}

/// <summary>A result as <c>GET /v1/tasks/{id}/result</c> sends it.</summary>
internal sealed record TaskOutput(byte[] Bytes, string ContentType, string? Miner, string? OutputDigest);

/// <summary>
/// The apps' API of the coordinator's gateway (<c>/v1/tasks</c>), in the gateway's own request and view records.
/// Every failure becomes the CLI's one sentence: the gateway's problem details in words, or why it cannot be reached.
/// </summary>
internal sealed class GatewayClient : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public GatewayClient(Uri url, string key)
    {
        Url = url.ToString().TrimEnd('/');
        // "http://host:8080/v1" (an OpenAI SDK's base URL) names the same gateway as "http://host:8080".
        var root = Url;
        root = root.EndsWith("/v1", StringComparison.Ordinal) ? root[..^3] : root;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout }) { BaseAddress = new Uri(root + "/"), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>The gateway as the user named it, for sentences.</summary>
    public string Url { get; }

    public static GatewayClient Open(CliContext ctx, GatewayCliOptions options)
    {
        var (url, key) = options.Resolve(ctx);
        return new GatewayClient(url, key);
    }

    public async Task<TaskView> SubmitAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        var body = JsonContent(request);
        using var response = await SendAsync(HttpMethod.Post, "v1/tasks", body, HttpCompletionOption.ResponseContentRead, bounded: true, cancellationToken);
        return await ViewAsync(response, cancellationToken);
    }

    public async Task<TaskView> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v1/tasks/{Uri.EscapeDataString(id)}", null, HttpCompletionOption.ResponseContentRead, bounded: true, cancellationToken);
        return await ViewAsync(response, cancellationToken);
    }

    public async Task<TaskOutput> ResultAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, TaskViews.ResultPath(id).TrimStart('/'), null, HttpCompletionOption.ResponseContentRead, bounded: true, cancellationToken);
        return new TaskOutput(
            await response.Content.ReadAsByteArrayAsync(cancellationToken),
            response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream",
            Header(response, "X-Cuckoo-Miner"),
            Header(response, "X-Cuckoo-Output-Digest"));
    }

    /// <summary>A GET of one of the gateway's JSON documents (rewards, jail).</summary>
    public async Task<T> GetJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseContentRead, bounded: true, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(text, GatewayProblems.Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Chain, "gateway-answer", $"the gateway at {Url} answered {path} with something that is not its document: {e.Message}", e);
        }
    }

    /// <summary>The task's server-sent events (the current state first); ends after the final one or when the gateway closes the stream.</summary>
    public async IAsyncEnumerable<(string Event, TaskView View)> EventsAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v1/tasks/{Uri.EscapeDataString(id)}/events", null, HttpCompletionOption.ResponseHeadersRead, bounded: false, cancellationToken);
        // A cut stream (the coordinator stopped, or the gateway aborted it) reads as its end; the caller asks where the task stands.
        await foreach (var item in EventStream.ReadAsync(await response.Content.ReadAsStreamAsync(cancellationToken), _ => { }, cancellationToken))
        {
            var view = Deserialize(item.Data);
            yield return (item.EventType == SseParser.EventTypeDefault ? view.Status : item.EventType, view);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static ByteArrayContent JsonContent(TaskRequest request)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, GatewayProblems.Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<TaskView> ViewAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        Deserialize(await response.Content.ReadAsStringAsync(cancellationToken));

    /// <param name="bounded">A plain request, cut after <see cref="RequestTimeout"/>; an event stream runs as long as the caller lets it.</param>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, bool bounded, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (bounded)
        {
            timeout.CancelAfter(RequestTimeout);
        }
        HttpResponseMessage response;
        using (var request = new HttpRequestMessage(method, path) { Content = content })
        {
            try
            {
                response = await _http.SendAsync(request, completion, timeout.Token);
            }
            catch (HttpRequestException e)
            {
                throw Unreachable(e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Not the caller's deadline or Ctrl+C: the connect timeout or the request's.
                throw new CliException(ExitCodes.Chain, "gateway-timeout",
                    $"the gateway at {Url} did not answer in time ({ConnectTimeout.TotalSeconds:0} s to connect, {RequestTimeout.TotalSeconds:0} s to answer)", e);
            }
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await RefusedAsync(response, cancellationToken);
            }
        }
        return response;
    }

    private CliException Unreachable(HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.ConnectionError && e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return new CliException(ExitCodes.Chain, "gateway-unreachable", $"no gateway at {Url}: is the coordinator running? (./build.sh up)", e);
        }
        var why = (e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ").TrimEnd('.');
        return new CliException(ExitCodes.Chain, "gateway-unreachable", $"the gateway at {Url} is unreachable: {why} (is the coordinator running?)", e);
    }

    /// <summary>
    /// The gateway's RFC 9457 problem (title, detail, code) as one sentence, exit 1: what the CLI could check itself it
    /// checked before sending (exit 2), so a refusal here is the gateway's judgement (a key, a model, a full queue).
    /// </summary>
    private async Task<CliException> RefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? title = null, detail = null, code = null;
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = body.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                // OpenAI's {error: {message, code}} too, should a proxy or a later endpoint answer in that shape.
                var problem = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error : root;
                title = Text(problem, "title");
                detail = Text(problem, "detail") ?? Text(problem, "message");
                code = Text(problem, "code");
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page): the status alone has to do.
        }
        var status = (int)response.StatusCode;
        title ??= response.ReasonPhrase ?? response.StatusCode.ToString();
        var sentence = new StringBuilder($"the gateway answered {status} {title.TrimEnd('.')}");
        if (detail is not null)
        {
            sentence.Append(": ").Append(detail.ReplaceLineEndings(" ").TrimEnd('.'));
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            sentence.Append(" (the key comes from --api-key or CUCKOO_API_KEY)");
        }
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var after = response.Headers.RetryAfter?.Delta is { } delta ? $"{delta.TotalSeconds:0} s" : "a moment";
            sentence.Append($"; try again in {after}");
        }
        return new CliException(ExitCodes.Failed, code?.Replace('_', '-') ?? $"http-{status}", sentence.ToString());
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString() : null;

    private TaskView Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<TaskView>(json, GatewayProblems.Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Failed, "gateway-error", $"the gateway at {Url} answered something this CLI cannot read as a task ({e.Message.TrimEnd('.')})", e);
        }
    }
}
