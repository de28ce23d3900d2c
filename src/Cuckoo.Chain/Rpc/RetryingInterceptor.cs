using System.Net;
using Nethereum.JsonRpc.Client;

namespace Cuckoo.Chain;

/// <summary>
/// Installed on Nethereum's <see cref="RpcClient"/> (as its <c>OverridingRequestInterceptor</c>), so every request
/// that goes through the client, Nethereum's contract handlers included, gets a deadline and retries: transport
/// failures (connection errors, timeouts, HTTP 5xx/408/429, an answer that is not JSON-RPC) are tried again with
/// exponential backoff and ±20% jitter; a JSON-RPC error is an answer and is never retried. When the attempts run
/// out the request fails with <see cref="RpcUnavailableException"/>.
/// </summary>
internal sealed class RetryingInterceptor(ChainClient owner) : RequestInterceptor
{
    /// <summary>The caller's cancellation token (Nethereum's API has none), set by <see cref="ChainClient"/> around each call.</summary>
    internal static readonly AsyncLocal<CancellationToken> Cancellation = new();

    public override async Task<object> InterceptSendRequestAsync<T>(
        Func<RpcRequest, string, Task<T>> interceptedSendRequestAsync, RpcRequest request, string route = null!) =>
        (await RunAsync(request.Method, () => interceptedSendRequestAsync(request, route)).ConfigureAwait(false))!;

    public override async Task InterceptSendRequestAsync(
        Func<RpcRequest, string, Task> interceptedSendRequestAsync, RpcRequest request, string route = null!) =>
        await RunAsync(request.Method, async () => { await interceptedSendRequestAsync(request, route).ConfigureAwait(false); return true; }).ConfigureAwait(false);

    public override async Task<object> InterceptSendRequestAsync<T>(
        Func<string, string, object[], Task<T>> interceptedSendRequestAsync, string method, string route = null!, params object[] paramList) =>
        (await RunAsync(method, () => interceptedSendRequestAsync(method, route, paramList)).ConfigureAwait(false))!;

    public override async Task InterceptSendRequestAsync(
        Func<string, string, object[], Task> interceptedSendRequestAsync, string method, string route = null!, params object[] paramList) =>
        await RunAsync(method, async () => { await interceptedSendRequestAsync(method, route, paramList).ConfigureAwait(false); return true; }).ConfigureAwait(false);

    /// <summary>Runs one request (or batch) with the deadline and retries.</summary>
    internal async Task<T> RunAsync<T>(string what, Func<Task<T>> send)
    {
        var options = owner.Options;
        var cancellationToken = Cancellation.Value;
        Exception? last = null;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await send().WaitAsync(options.RequestTimeout, options.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                last = new TimeoutException($"no answer within {options.RequestTimeout.TotalSeconds:0.###} s", ex);
            }
            catch (NullReferenceException ex)
            {
                // Nethereum's client reads an empty or non-JSON-RPC body as no response at all.
                last = new InvalidDataException("the answer is not a JSON-RPC response", ex);
            }
            catch (Exception ex) when (IsTransport(ex))
            {
                if (!IsTransient(ex))
                {
                    throw new RpcUnavailableException($"{what}: the node at {owner.Endpoint} rejected the request: {Reason(ex)}", ex);
                }
                last = ex;
            }
            if (attempt >= options.MaxRetries)
            {
                throw Unavailable(owner, what, attempt + 1, last);
            }
            await Task.Delay(Backoff(options, attempt), options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static RpcUnavailableException Unavailable(ChainClient owner, string what, int attempts, Exception? last) =>
        new($"{what}: the node at {owner.Endpoint} is unreachable after {attempts} attempt{(attempts == 1 ? "" : "s")}: {Reason(last)}", last);

    private static bool IsTransport(Exception ex) => ex is RpcClientTimeoutException or RpcClientUnknownException or HttpRequestException or IOException;

    // Only failures where the request may not have reached the node, or its answer was lost.
    private static bool IsTransient(Exception ex)
    {
        var status = Find<HttpRequestException>(ex)?.StatusCode;
        return status is null || (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
    }

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }
        return null;
    }

    private static string Reason(Exception? ex)
    {
        if (ex is null)
        {
            return "no answer";
        }
        if (Find<HttpRequestException>(ex) is { } http)
        {
            return http.StatusCode is { } status ? $"HTTP {(int)status} {status}" : http.Message;
        }
        if (Find<Newtonsoft.Json.JsonException>(ex) is { } json)
        {
            return $"the answer is not JSON-RPC ({json.Message})";
        }
        var innermost = ex;
        while (innermost.InnerException is not null && innermost is RpcClientUnknownException or RpcClientTimeoutException)
        {
            innermost = innermost.InnerException;
        }
        return innermost.Message;
    }

    private static TimeSpan Backoff(ChainClientOptions options, int attempt)
    {
        var baseDelay = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt);
        var capped = Math.Min(baseDelay, options.MaxBackoff.TotalMilliseconds);
        var jitter = 1 + ((Random.Shared.NextDouble() * 0.4) - 0.2);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}
