using System.Numerics;
using System.Text.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cuckoo.Chain;

/// <summary>Calls by method name, for node-specific methods the typed members do not cover, and batches.</summary>
public sealed partial class ChainClient
{
    /// <summary>
    /// Calls any method (e.g. <c>evm_increaseTime</c>) and reads the result as <typeparamref name="T"/> (Newtonsoft,
    /// Nethereum's serializer). <see cref="Address"/>, <see cref="BigInteger"/>, <see cref="BlockParameter"/> and
    /// byte arrays in <paramref name="parameters"/> are sent in their JSON-RPC forms.
    /// </summary>
    public Task<T> CallAsync<T>(string method, params object?[] parameters) => CallAsync<T>(method, parameters, CancellationToken.None);

    public async Task<T> CallAsync<T>(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var wire = ToWire(parameters);
        var result = await RunAsync(method, () => Rpc.SendRequestAsync<JToken?>(method, null, wire), cancellationToken).ConfigureAwait(false);
        return ConvertResult<T>(method, result);
    }

    /// <summary>Reads a raw result as <typeparamref name="T"/>; integers may come as hex quantities.</summary>
    internal static T ConvertResult<T>(string method, JToken? result)
    {
        try
        {
            var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
            if (result is { Type: JTokenType.String } text && text.Value<string>() is { } s && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && (type == typeof(long) || type == typeof(int) || type == typeof(ulong) || type == typeof(BigInteger)))
            {
                var value = Hex.DecodeQuantity(s);
                return (T)(type == typeof(BigInteger) ? value : Convert.ChangeType((decimal)value, type, System.Globalization.CultureInfo.InvariantCulture));
            }
            return result is null || result.Type == JTokenType.Null ? default! : result.ToObject<T>()!;
        }
        catch (Exception ex) when (ex is FormatException or Newtonsoft.Json.JsonException or ArgumentException or InvalidCastException or OverflowException)
        {
            throw new RpcUnavailableException($"{method}: cannot read the result as {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    /// <summary>Calls any method and returns the raw <c>result</c>.</summary>
    public Task<JsonElement> CallAsync(string method, params object?[] parameters) => CallAsync(method, parameters, CancellationToken.None);

    public async Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        var token = await CallAsync<JToken?>(method, parameters, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(token?.ToString(Formatting.None) ?? "null");
        return document.RootElement.Clone();
    }

    /// <summary>Starts a batch: add calls, then <see cref="ChainBatch.SendAsync"/> sends them in one HTTP request.</summary>
    public ChainBatch NewBatch() => new(this);
}
