using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using RpcError = Nethereum.JsonRpc.Client.RpcError;
using Newtonsoft.Json.Linq;

namespace Cuckoo.Chain;

/// <summary>
/// Several calls in one HTTP request, sent by Nethereum's <see cref="IClient.SendBatchRequestAsync"/>. Each
/// <see cref="Add{T}"/> returns a task that completes when <see cref="SendAsync"/> has the answers: with the result,
/// or faulted with that call's own <see cref="RpcException"/>. Transport failures are retried for the whole batch.
/// </summary>
public sealed class ChainBatch
{
    private readonly ChainClient _client;
    private readonly List<Item> _items = [];
    private bool _sent;

    internal ChainBatch(ChainClient client) => _client = client;

    public int Count => _items.Count;

    public Task<T> Add<T>(string method, params object?[] parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent; start a new one.");
        }
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var message = new RpcRequestMessage(_items.Count + 1, method, ChainClient.ToWire(parameters));
        _items.Add(new Item(message, _client, response =>
        {
            try
            {
                completion.TrySetResult(ChainClient.ConvertResult<T>(method, response.Result switch
                {
                    null => null,
                    JToken token => token,
                    System.Text.Json.JsonElement element => JToken.Parse(element.GetRawText()),
                    var other => JToken.FromObject(other),
                }));
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        }, ex => completion.TrySetException(ex)));
        return completion.Task;
    }

    /// <summary>Sends every call in one request.</summary>
    /// <exception cref="RpcUnavailableException">the node stayed unreachable (every call's task fails with it too).</exception>
    public async Task SendAsync(CancellationToken cancellationToken = default)
    {
        if (_sent)
        {
            throw new InvalidOperationException("This batch was already sent.");
        }
        _sent = true;
        if (_items.Count == 0)
        {
            return;
        }
        var batch = new RpcRequestResponseBatch { AcceptPartiallySuccessful = true };
        batch.BatchItems.AddRange(_items);
        var interceptor = new RetryingInterceptor(_client);
        RetryingInterceptor.Cancellation.Value = cancellationToken;
        try
        {
            await interceptor.RunAsync($"batch of {_items.Count}", () => _client.Rpc.SendBatchRequestAsync(batch)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var mapped = _client.MapException($"batch of {_items.Count}", ex) ?? ex;
            foreach (var item in _items)
            {
                item.Fail(mapped);
            }
            if (mapped == ex)
            {
                throw;
            }
            throw mapped;
        }
        foreach (var item in _items.Where(i => !i.Answered))
        {
            item.Fail(new RpcUnavailableException($"{item.RpcRequestMessage.Method}: the batch response has no answer for request {item.RpcRequestMessage.Id}."));
        }
    }

    private sealed class Item(RpcRequestMessage message, ChainClient client, Action<RpcResponseMessage> complete, Action<Exception> fail) : IRpcRequestResponseBatchItem
    {
        public bool HasError { get; private set; }

        public object RawResponse { get; private set; } = null!;

        public RpcError RpcError { get; private set; } = null!;

        public RpcRequestMessage RpcRequestMessage { get; } = message;

        public bool Answered { get; private set; }

        public void Fail(Exception ex) => fail(ex);

        public void DecodeResponse(RpcResponseMessage rpcResponse)
        {
            Answered = true;
            RawResponse = rpcResponse.Result!;
            if (rpcResponse.HasError)
            {
                HasError = true;
                RpcError = new RpcError(rpcResponse.Error.Code, rpcResponse.Error.Message, rpcResponse.Error.Data);
                fail(client.FromRpcError(RpcRequestMessage.Method, RpcError, new RpcResponseException(RpcError)));
                return;
            }
            complete(rpcResponse);
        }
    }
}
