using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Cuckoo.Chain;

/// <summary>
/// An Ethereum JSON-RPC client over HTTP. Thread-safe; share one per endpoint. Transport failures are retried with
/// exponential backoff; JSON-RPC errors are not (they are answers) and surface as <see cref="RpcException"/>,
/// reverts as <see cref="ContractRevertException"/>.
/// </summary>
public sealed partial class JsonRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _nextId;

    public JsonRpcClient(Uri endpoint, JsonRpcClientOptions? options = null)
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, endpoint, options, ownsHttp: true)
    {
    }

    /// <summary>Uses <paramref name="http"/> as is (its own Timeout applies too); the caller keeps ownership.</summary>
    public JsonRpcClient(HttpClient http, Uri endpoint, JsonRpcClientOptions? options = null)
        : this(http, endpoint, options, ownsHttp: false)
    {
    }

    private JsonRpcClient(HttpClient http, Uri endpoint, JsonRpcClientOptions? options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _ownsHttp = ownsHttp;
        Endpoint = endpoint;
        Options = options ?? new JsonRpcClientOptions();
    }

    public Uri Endpoint { get; }

    public JsonRpcClientOptions Options { get; }

    /// <summary>Pending nonces per sender, shared by every <see cref="TransactionSender"/> on this client.</summary>
    public NonceManager Nonces { get; } = new();

    // An endpoint's chain id cannot change, so it is asked once.
    internal BigInteger? CachedChainId { get; set; }

    /// <summary>Calls any method (e.g. <c>evm_increaseTime</c>) and reads the result as <typeparamref name="T"/> with <see cref="RpcJson.Options"/>.</summary>
    public Task<T> CallAsync<T>(string method, params object?[] parameters) => CallAsync<T>(method, parameters, CancellationToken.None);

    public async Task<T> CallAsync<T>(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        var result = await CallAsync(method, parameters, cancellationToken).ConfigureAwait(false);
        return Convert<T>(method, result);
    }

    /// <summary>Calls any method and returns the raw <c>result</c>.</summary>
    public Task<JsonElement> CallAsync(string method, params object?[] parameters) => CallAsync(method, parameters, CancellationToken.None);

    public async Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var id = Interlocked.Increment(ref _nextId);
        var body = SerializeRequests([(id, method, parameters ?? [])]);
        using var response = await SendWithRetriesAsync(body, method, cancellationToken).ConfigureAwait(false);
        var root = response.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RpcUnavailableException($"{method}: the node answered with JSON that is not a JSON-RPC response.");
        }
        return ResultOf(method, root);
    }

    /// <summary>Starts a batch: add calls, then <see cref="JsonRpcBatch.SendAsync"/> sends them in one HTTP request.</summary>
    public JsonRpcBatch NewBatch() => new(this);

    internal long NextId() => Interlocked.Increment(ref _nextId);

    internal JsonElement ResultOf(string method, JsonElement response)
    {
        if (response.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            throw ToException(method, error);
        }
        if (!response.TryGetProperty("result", out var result))
        {
            throw new RpcUnavailableException($"{method}: the JSON-RPC response has neither result nor error.");
        }
        return result.Clone();
    }

    internal static T Convert<T>(string method, JsonElement result)
    {
        try
        {
            return result.Deserialize<T>(RpcJson.Options)!;
        }
        catch (JsonException ex)
        {
            throw new RpcUnavailableException($"{method}: cannot read the result as {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private Exception ToException(string method, JsonElement error)
    {
        var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : 0;
        var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
        var revertData = FindRevertData(data);
        var looksLikeRevert = code == 3 || message.Contains("revert", StringComparison.OrdinalIgnoreCase);
        if (looksLikeRevert || revertData is { Length: > 0 })
        {
            var revert = RevertInfo.Decode(revertData ?? [], null, Options.KnownErrors);
            if (revert.Kind == RevertKind.Empty && ReasonFromMessage(message) is { } reason)
            {
                revert = revert with { Kind = RevertKind.ErrorString, Reason = reason };
            }
            return new ContractRevertException(method, code, message, data, revert);
        }
        return new RpcException(method, code, message, data);
    }

    // Nodes put revert data in data (geth: "0x…"), or in data.data (Hardhat), sometimes one level deeper.
    private static byte[]? FindRevertData(JsonElement? data)
    {
        for (var depth = 0; data is { } element && depth < 3; depth++)
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                var text = element.GetString();
                return text is not null && text.StartsWith("0x", StringComparison.Ordinal) && Hex.TryDecode(text, out var bytes) ? bytes : null;
            }
            data = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("data", out var inner) ? inner : null;
        }
        return null;
    }

    private static string? ReasonFromMessage(string message)
    {
        const string marker = "reverted with reason string '";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += marker.Length;
        var end = message.LastIndexOf('\'');
        return end > start ? message[start..end] : null;
    }

    /// <summary>Posts a request body, retrying transport failures; returns the parsed response.</summary>
    internal async Task<JsonDocument> SendWithRetriesAsync(byte[] body, string what, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await SendOnceAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (TransientRpcFailure ex)
            {
                last = ex.InnerException ?? ex;
            }
            if (attempt >= Options.MaxRetries)
            {
                break;
            }
            await Task.Delay(Backoff(attempt), Options.Time, cancellationToken).ConfigureAwait(false);
        }
        throw new RpcUnavailableException(
            $"{what}: the node at {Endpoint} is unreachable after {Options.MaxRetries + 1} attempts: {last?.Message}", last);
    }

    private async Task<JsonDocument> SendOnceAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Options.RequestTimeout, Options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(Endpoint, content, linked.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            JsonDocument? document = null;
            try
            {
                document = JsonDocument.Parse(bytes);
            }
            catch (JsonException)
            {
                // Not JSON at all (a proxy's error page): judged by the HTTP status below.
            }
            // A JSON-RPC answer counts whatever the HTTP status (some nodes send errors with 4xx/5xx).
            if (document is not null && IsRpcResponse(document.RootElement))
            {
                return document;
            }
            document?.Dispose();
            var snippet = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200));
            var failure = new HttpRequestException($"HTTP {(int)response.StatusCode} {response.StatusCode} without a JSON-RPC response: {snippet}", null, response.StatusCode);
            if (IsTransient(response.StatusCode) || response.IsSuccessStatusCode)
            {
                throw new TransientRpcFailure(failure);
            }
            throw new RpcUnavailableException($"The node at {Endpoint} rejected the request: {failure.Message}", failure);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientRpcFailure(ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientRpcFailure(new TimeoutException($"No answer within {Options.RequestTimeout.TotalSeconds:0.###} s.", ex));
        }
        catch (IOException ex)
        {
            throw new TransientRpcFailure(ex);
        }
    }

    private static bool IsRpcResponse(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array
        || (root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)));

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    private TimeSpan Backoff(int attempt)
    {
        var baseDelay = Options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt);
        var capped = Math.Min(baseDelay, Options.MaxBackoff.TotalMilliseconds);
        var jitter = 1 + ((Random.Shared.NextDouble() * 0.4) - 0.2);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private sealed class TransientRpcFailure(Exception inner) : Exception(inner.Message, inner);

    /// <summary>One request object, or an array of them for a batch.</summary>
    internal static byte[] SerializeRequests(IReadOnlyList<(long Id, string Method, object?[] Params)> requests, bool asBatch = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            if (asBatch)
            {
                writer.WriteStartArray();
            }
            foreach (var (id, method, parameters) in requests)
            {
                writer.WriteStartObject();
                writer.WriteString("jsonrpc", "2.0");
                writer.WriteNumber("id", id);
                writer.WriteString("method", method);
                writer.WritePropertyName("params");
                JsonSerializer.Serialize(writer, parameters, RpcJson.Options);
                writer.WriteEndObject();
            }
            if (asBatch)
            {
                writer.WriteEndArray();
            }
        }
        return stream.ToArray();
    }
}
