using System.Numerics;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cuckoo.Chain;

/// <summary>How Nethereum's calls run: our deadline, cancellation and retries, and its exceptions mapped to ours.</summary>
public sealed partial class ChainClient
{
    /// <summary>
    /// Runs any Nethereum call on <see cref="Web3"/> (a contract handler, a typed service) as this client runs its own: with the
    /// cancellation token visible to the retries, and Nethereum's exceptions mapped to ours. <paramref name="method"/> names it in messages.
    /// </summary>
    public async Task<T> RunAsync<T>(string method, Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var previous = RetryingInterceptor.Cancellation.Value;
        RetryingInterceptor.Cancellation.Value = cancellationToken;
        try
        {
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MapException(method, ex) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            RetryingInterceptor.Cancellation.Value = previous;
        }
    }

    /// <summary>Our exception for one of Nethereum's, or null to let it through.</summary>
    internal Exception? MapException(string method, Exception ex) => ex switch
    {
        RpcResponseException rpc => FromRpcError(method, rpc.RpcError, rpc),
        SmartContractCustomErrorRevertException custom => Revert(method, 3, "execution reverted", null, Hex.Decode(custom.ExceptionEncodedData ?? "0x"), custom),
        SmartContractRevertException revert => Revert(method, 3, "execution reverted: " + revert.RevertMessage, null, Hex.TryDecode(revert.EncodedData, out var d) ? d : [], revert),
        RpcResponseFormatException format => new RpcUnavailableException($"{method}: the node's answer could not be read: {format.InnerException?.Message ?? format.Message}", format),
        RpcClientTimeoutException or RpcClientUnknownException => RetryingInterceptor.Unavailable(this, method, 1, ex),
        _ => null,
    };

    internal RpcException FromRpcError(string method, RpcError error, Exception inner)
    {
        // Nethereum appends ": <method>" to the node's message.
        var message = error.Message ?? "";
        var suffix = ": " + method;
        if (message.EndsWith(suffix, StringComparison.Ordinal))
        {
            message = message[..^suffix.Length];
        }
        var data = ToJsonElement(error.Data);
        var revertData = FindRevertData(data);
        if (error.Code == 3 || message.Contains("revert", StringComparison.OrdinalIgnoreCase) || revertData is { Length: > 0 })
        {
            return Revert(method, error.Code, message, data, revertData ?? [], inner);
        }
        return new RpcException(method, error.Code, message, data, inner);
    }

    private ContractRevertException Revert(string method, int code, string message, JsonElement? data, byte[] revertData, Exception inner)
    {
        var revert = RevertInfo.Decode(revertData, Options.KnownErrors);
        if (revert.Kind == RevertKind.Empty && ReasonFromMessage(message) is { } reason)
        {
            revert = revert with { Kind = RevertKind.ErrorString, Reason = reason };
        }
        return new ContractRevertException(method, code, message, data, revert, inner);
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

    private static JsonElement? ToJsonElement(object? data)
    {
        if (data is null)
        {
            return null;
        }
        var json = data switch
        {
            JToken token => token.ToString(Formatting.None),
            System.Text.Json.Nodes.JsonNode node => node.ToJsonString(),
            _ => JsonConvert.SerializeObject(data),
        };
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static T Read<T>(string method, Func<T> convert)
    {
        try
        {
            return convert();
        }
        catch (FormatException ex)
        {
            throw new RpcUnavailableException($"{method}: the node's answer is malformed: {ex.Message}", ex);
        }
    }

    internal static object?[] ToWire(object?[]? parameters) => (parameters ?? []).Select(p => p switch
    {
        Address a => a.ToString(),
        byte[] b => b.ToHex(prefix: true),
        BigInteger n => new HexBigInteger(n).HexValue,
        BlockParameter b => b.ToString(),
        _ => p,
    }).ToArray();
}
