using System.Text.Json;

namespace Cuckoo.Chain;

/// <summary>
/// Several calls in one HTTP request. Each <see cref="Add{T}"/> returns a task that completes when
/// <see cref="SendAsync"/> has the answers: with the result, or faulted with that call's own <see cref="RpcException"/>.
/// </summary>
public sealed class JsonRpcBatch
{
    private readonly JsonRpcClient _client;
    private readonly List<(long Id, string Method, object?[] Params, Action<JsonElement> Complete, Action<Exception> Fail)> _calls = [];
    private bool _sent;

    internal JsonRpcBatch(JsonRpcClient client) => _client = client;

    public int Count => _calls.Count;

    public Task<T> Add<T>(string method, params object?[] parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent; start a new one.");
        }
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls.Add((_client.NextId(), method, parameters ?? [], result =>
        {
            try
            {
                completion.TrySetResult(JsonRpcClient.Convert<T>(method, result));
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        }, ex => completion.TrySetException(ex)));
        return completion.Task;
    }

    /// <summary>Sends every call in one request; transport failures are retried for the whole batch.</summary>
    /// <exception cref="RpcUnavailableException">the node stayed unreachable (every call's task fails with it too).</exception>
    public async Task SendAsync(CancellationToken cancellationToken = default)
    {
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent.");
        }
        _sent = true;
        if (_calls.Count == 0)
        {
            return;
        }
        var body = JsonRpcClient.SerializeRequests(_calls.Select(c => (c.Id, c.Method, c.Params)).ToArray(), asBatch: true);
        JsonDocument response;
        try
        {
            response = await _client.SendWithRetriesAsync(body, $"batch of {_calls.Count}", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var call in _calls)
            {
                call.Fail(ex);
            }
            throw;
        }
        using (response)
        {
            var byId = new Dictionary<long, JsonElement>();
            if (response.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in response.RootElement.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.TryGetInt64(out var n))
                    {
                        byId[n] = item;
                    }
                }
            }
            else if (response.RootElement.TryGetProperty("error", out _))
            {
                // The node refused the batch as a whole (e.g. batches disabled): every call gets that error.
                foreach (var call in _calls)
                {
                    byId[call.Id] = response.RootElement;
                }
            }
            foreach (var call in _calls)
            {
                if (!byId.TryGetValue(call.Id, out var item))
                {
                    call.Fail(new RpcUnavailableException($"{call.Method}: the batch response has no answer for request {call.Id}."));
                    continue;
                }
                try
                {
                    call.Complete(_client.ResultOf(call.Method, item));
                }
                catch (Exception ex)
                {
                    call.Fail(ex);
                }
            }
        }
    }
}
