using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cuckoo.Gateway.Portal;

/// <summary>
/// <c>POST /portal/rpc</c>: the page's same-origin path to the coordinator's chain node, for reads and for transactions
/// the page signed itself (the devnet keys). Only the methods a dapp page needs pass: no node administration, no
/// unlocked-account signing, no log scans; bodies and batches are bounded.
/// </summary>
public sealed class ChainRelay(HttpClient http, Uri rpcUrl, PortalOptions options)
{
    internal static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "eth_chainId", "net_version", "eth_blockNumber", "eth_call", "eth_estimateGas", "eth_gasPrice", "eth_maxPriorityFeePerGas",
        "eth_feeHistory", "eth_getBalance", "eth_getCode", "eth_getTransactionCount", "eth_getBlockByNumber", "eth_getBlockByHash",
        "eth_getTransactionByHash", "eth_getTransactionReceipt", "eth_sendRawTransaction",
    };

    public async Task RelayAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Request.ContentLength > options.MaxRpcBodyBytes)
        {
            await WriteErrorAsync(context, null, -32600, $"the request is larger than {options.MaxRpcBodyBytes} bytes");
            return;
        }
        JsonNode? body;
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (limited.Length + read > options.MaxRpcBodyBytes)
                {
                    await WriteErrorAsync(context, null, -32600, $"the request is larger than {options.MaxRpcBodyBytes} bytes");
                    return;
                }
                limited.Write(buffer, 0, read);
            }
            body = JsonNode.Parse(limited.ToArray());
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, null, -32700, "the body is not JSON");
            return;
        }
        var calls = body is JsonArray array ? [.. array] : new List<JsonNode?> { body };
        if (calls.Count == 0 || calls.Count > options.MaxRpcBatch)
        {
            await WriteErrorAsync(context, null, -32600, $"a batch holds 1 to {options.MaxRpcBatch} calls");
            return;
        }
        foreach (var call in calls)
        {
            var method = (call as JsonObject)?["method"]?.GetValueKind() == JsonValueKind.String ? call!["method"]!.GetValue<string>() : null;
            if (method is null || !Allowed.Contains(method))
            {
                await WriteErrorAsync(context, (call as JsonObject)?["id"], -32601, $"the portal does not relay {(method is null ? "that call" : method)}");
                return;
            }
        }
        using var forward = new HttpRequestMessage(HttpMethod.Post, rpcUrl)
        {
            Content = new StringContent(body!.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        try
        {
            using var response = await http.SendAsync(forward, cancellationToken);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await response.Content.CopyToAsync(context.Response.Body, cancellationToken);
        }
        catch (HttpRequestException)
        {
            await WriteErrorAsync(context, (calls[0] as JsonObject)?["id"], -32603, "the chain node is not reachable from the coordinator", StatusCodes.Status502BadGateway);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, JsonNode? id, int code, string message, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var error = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id?.DeepClone(),
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
        };
        return context.Response.WriteAsync(error.ToJsonString(), context.RequestAborted);
    }
}
