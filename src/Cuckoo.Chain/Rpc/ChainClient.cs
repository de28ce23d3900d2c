using System.Numerics;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using N = Nethereum.RPC.Eth.DTOs;

namespace Cuckoo.Chain;

/// <summary>
/// A thin client of one Ethereum node over Nethereum's <see cref="Web3"/> and <see cref="RpcClient"/>. What is ours:
/// transport failures are retried with backoff (Nethereum's client does not retry), every call has a deadline and a
/// cancellation token (Nethereum's calls take none), Nethereum's exceptions become <see cref="RpcException"/>,
/// <see cref="ContractRevertException"/> and <see cref="RpcUnavailableException"/> with sentences, the chain id is
/// cached and can be guarded, and waiting for confirmations ends (it mines on a devnet, and has a deadline).
/// Thread-safe; share one per endpoint.
/// </summary>
public sealed class ChainClient : IDisposable
{
    private readonly HttpClient? _http;
    private readonly RetryingInterceptor _interceptor;
    private long? _chainId;
    private bool? _isDevnet;

    public ChainClient(Uri endpoint, ChainClientOptions? options = null)
        : this(endpoint, new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan }, options, ownsHttp: true)
    {
    }

    /// <summary>Uses <paramref name="http"/> for the requests (its BaseAddress is set to the endpoint); the caller keeps ownership.</summary>
    public ChainClient(HttpClient http, Uri endpoint, ChainClientOptions? options = null)
        : this(endpoint, http, options, ownsHttp: false)
    {
    }

    private ChainClient(Uri endpoint, HttpClient http, ChainClientOptions? options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(http);
        Endpoint = endpoint;
        Options = options ?? new ChainClientOptions();
        _http = ownsHttp ? http : null;
        var rpc = new RpcClient(endpoint, http);
        _interceptor = new RetryingInterceptor(this);
        rpc.OverridingRequestInterceptor = _interceptor;
        Rpc = rpc;
        Web3 = new Web3(rpc);
    }

    public Uri Endpoint { get; }

    public ChainClientOptions Options { get; }

    /// <summary>Nethereum's client, with our retries installed: use it for anything this class does not wrap.</summary>
    public IClient Rpc { get; }

    /// <summary>Nethereum's Web3 over <see cref="Rpc"/> (contract handlers, typed services).</summary>
    public Web3 Web3 { get; }

    /// <summary>Pending nonces per sender, shared by every <see cref="TransactionSender"/> on this client.</summary>
    public NonceManager Nonces { get; } = new();

    // ---- Typed calls -------------------------------------------------------------------------------------------

    /// <summary>The chain id (cached after the first answer: it cannot change for an endpoint).</summary>
    public async Task<long> GetChainIdAsync(CancellationToken cancellationToken = default)
    {
        if (_chainId is { } cached)
        {
            return cached;
        }
        var id = (long)(await RunAsync("eth_chainId", () => Web3.Eth.ChainId.SendRequestAsync(), cancellationToken).ConfigureAwait(false)).Value;
        _chainId = id;
        return id;
    }

    /// <summary>Refuses a node on another chain than <paramref name="expected"/>.</summary>
    /// <exception cref="WrongChainException">with a sentence naming both chains.</exception>
    public async Task EnsureChainIdAsync(long expected, CancellationToken cancellationToken = default)
    {
        var actual = await GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        if (actual != expected)
        {
            throw new WrongChainException($"Wrong chain: the node at {Endpoint} is on chain {actual}, but chain {expected} was expected.", expected, actual);
        }
    }

    public async Task<long> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        (long)(await RunAsync("eth_blockNumber", () => Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync(), cancellationToken).ConfigureAwait(false)).Value;

    public async Task<BigInteger> GetBalanceAsync(Address address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        (await RunAsync("eth_getBalance", () => Web3.Eth.GetBalance.SendRequestAsync(address.ToString(), (block ?? BlockParameter.Latest).ToNethereum()), cancellationToken).ConfigureAwait(false)).Value;

    public async Task<BigInteger> GetTransactionCountAsync(Address address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        (await RunAsync("eth_getTransactionCount", () => Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(address.ToString(), (block ?? BlockParameter.Latest).ToNethereum()), cancellationToken).ConfigureAwait(false)).Value;

    public async Task<byte[]> GetCodeAsync(Address address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        Hex.Decode(await RunAsync("eth_getCode", () => Web3.Eth.GetCode.SendRequestAsync(address.ToString(), (block ?? BlockParameter.Latest).ToNethereum()), cancellationToken).ConfigureAwait(false) ?? "0x");

    /// <summary><c>eth_call</c>: the return data.</summary>
    /// <exception cref="ContractRevertException">the call reverted.</exception>
    public async Task<byte[]> EthCallAsync(CallRequest call, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var result = await RunAsync("eth_call", () => Web3.Eth.Transactions.Call.SendRequestAsync(call.ToNethereum(), (block ?? BlockParameter.Latest).ToNethereum()), cancellationToken).ConfigureAwait(false);
        return Hex.Decode(result ?? "0x");
    }

    /// <exception cref="ContractRevertException">the transaction would revert.</exception>
    public async Task<BigInteger> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return (await RunAsync("eth_estimateGas", () => Web3.Eth.Transactions.EstimateGas.SendRequestAsync(call.ToNethereum()), cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>Broadcasts a signed transaction (0x-hex) and returns its hash.</summary>
    public Task<string> SendRawTransactionAsync(string rawHex, CancellationToken cancellationToken = default) =>
        RunAsync("eth_sendRawTransaction", () => Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(rawHex.EnsureHexPrefix()), cancellationToken);

    public Task<string> SendRawTransactionAsync(byte[] raw, CancellationToken cancellationToken = default) =>
        SendRawTransactionAsync(raw.ToHex(prefix: true), cancellationToken);

    /// <summary>The receipt, or null while the transaction is pending or unknown.</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        var receipt = await RunAsync("eth_getTransactionReceipt", () => Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transactionHash), cancellationToken).ConfigureAwait(false);
        return receipt is null ? null : Read("eth_getTransactionReceipt", () => TransactionReceipt.FromNethereum(receipt));
    }

    /// <summary>A block with its transaction hashes, or null when there is no such block.</summary>
    public async Task<Block?> GetBlockByNumberAsync(BlockParameter block, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync("eth_getBlockByNumber", () => Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(block.ToNethereum()), cancellationToken).ConfigureAwait(false);
        return result is null ? null : Read("eth_getBlockByNumber", () => Block.FromNethereum(result));
    }

    public async Task<Block?> GetBlockByHashAsync(string blockHash, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync("eth_getBlockByHash", () => Web3.Eth.Blocks.GetBlockWithTransactionsHashesByHash.SendRequestAsync(blockHash), cancellationToken).ConfigureAwait(false);
        return result is null ? null : Read("eth_getBlockByHash", () => Block.FromNethereum(result));
    }

    /// <summary><c>eth_getLogs</c>: each log with its block number and hash, transaction hash, log index and removed flag.</summary>
    public async Task<IReadOnlyList<Log>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var logs = await RunAsync("eth_getLogs", () => Web3.Eth.Filters.GetLogs.SendRequestAsync(filter.ToNethereum()), cancellationToken).ConfigureAwait(false);
        return Read("eth_getLogs", () => (logs ?? []).Select(Log.FromNethereum).ToArray());
    }

    public async Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken = default) =>
        (await RunAsync("eth_gasPrice", () => Web3.Eth.GasPrice.SendRequestAsync(), cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// EIP-1559 fees from Nethereum's <c>SimpleFeeSuggestionStrategy</c>: max fee = 2 × latest base fee + tip, where the
    /// tip is the node's <c>eth_maxPriorityFeePerGas</c> when it answers, else Nethereum's default (2 gwei).
    /// </summary>
    public async Task<FeeSuggestion> SuggestFeesAsync(CancellationToken cancellationToken = default)
    {
        BigInteger? tip = null;
        try
        {
            tip = Hex.DecodeQuantity(await CallAsync<string>("eth_maxPriorityFeePerGas", [], cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is RpcException or FormatException)
        {
            // Not every node has it; Nethereum's default tip applies.
        }
        var strategy = new Nethereum.RPC.Fee1559Suggestions.SimpleFeeSuggestionStrategy(Rpc);
        var fee = await RunAsync("eth_getBlockByNumber", () => strategy.SuggestFeeAsync(tip), cancellationToken).ConfigureAwait(false);
        return new FeeSuggestion(fee.MaxFeePerGas ?? 0, fee.MaxPriorityFeePerGas ?? 0);
    }

    // ---- Raw calls and batches ---------------------------------------------------------------------------------

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

    // ---- Devnet helpers ----------------------------------------------------------------------------------------

    /// <summary>True when the node says it is Hardhat or anvil (<c>web3_clientVersion</c>); cached.</summary>
    public async Task<bool> IsDevnetAsync(CancellationToken cancellationToken = default)
    {
        if (_isDevnet is { } known)
        {
            return known;
        }
        string version;
        try
        {
            version = await CallAsync<string>("web3_clientVersion", [], cancellationToken).ConfigureAwait(false) ?? "";
        }
        catch (RpcException)
        {
            version = "";
        }
        var devnet = version.StartsWith("HardhatNetwork", StringComparison.OrdinalIgnoreCase) || version.StartsWith("anvil", StringComparison.OrdinalIgnoreCase);
        _isDevnet = devnet;
        return devnet;
    }

    /// <summary>
    /// True when the node is a devnet that mines only when a transaction arrives (<c>hardhat_getAutomine</c> /
    /// <c>anvil_getAutomine</c>; a devnet that cannot say counts as automining). A devnet with automine off mines on an
    /// interval or under someone's control, and a wait must not mine for it. Not cached: automine can be switched.
    /// </summary>
    public async Task<bool> DevnetAutominesAsync(CancellationToken cancellationToken = default)
    {
        if (!await IsDevnetAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        foreach (var method in new[] { "hardhat_getAutomine", "anvil_getAutomine" })
        {
            try
            {
                return await CallAsync<bool>(method, [], cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException)
            {
                // Not this devnet's method; try the other.
            }
        }
        return true;
    }

    /// <summary>Mines <paramref name="blocks"/> empty blocks with <c>evm_mine</c> (Hardhat, anvil); returns the new head.</summary>
    public async Task<long> MineAsync(int blocks = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        for (var i = 0; i < blocks; i++)
        {
            await CallAsync<JToken?>("evm_mine", [], cancellationToken).ConfigureAwait(false);
        }
        return await GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves a devnet's clock forward by <paramref name="by"/> (<c>evm_increaseTime</c>) and mines a block so that the
    /// next transactions see it (<c>evm_mine</c>); returns the new head block's timestamp.
    /// </summary>
    public async Task<DateTimeOffset> IncreaseTimeAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        await CallAsync<JToken?>("evm_increaseTime", [(long)Math.Ceiling(by.TotalSeconds)], cancellationToken).ConfigureAwait(false);
        await CallAsync<JToken?>("evm_mine", [], cancellationToken).ConfigureAwait(false);
        var head = await GetBlockByNumberAsync(BlockParameter.Latest, cancellationToken).ConfigureAwait(false)
                   ?? throw new RpcUnavailableException("eth_getBlockByNumber: the node has no latest block.");
        return DateTimeOffset.FromUnixTimeSeconds(head.Timestamp);
    }

    // ---- Receipts ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Polls until the transaction is mined and has <paramref name="confirmations"/> blocks on top (1 = mined), re-reading
    /// the receipt at the end so that a reorg that moved it is noticed. On a devnet (see <see cref="ChainClientOptions.DevnetMining"/>)
    /// it mines the blocks it waits for once the head has stood still for <see cref="ChainClientOptions.DevnetIdleBeforeMining"/>.
    /// Node outages are ridden out until the deadline.
    /// </summary>
    /// <exception cref="TransactionUnconfirmedException">not mined or confirmed by the deadline (a <see cref="TimeoutException"/>).</exception>
    public async Task<TransactionReceipt> WaitForReceiptAsync(string transactionHash, int confirmations = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionHash);
        ArgumentOutOfRangeException.ThrowIfLessThan(confirmations, 1);
        var limit = timeout ?? Options.ReceiptTimeout;
        var time = Options.Time;
        var started = time.GetTimestamp();
        Exception? lastError = null;
        var seen = 0;
        long? lastHead = null;
        var headSince = started;
        bool? mine = Options.DevnetMining switch { DevnetMining.Never => false, DevnetMining.Always => true, _ => null };
        while (true)
        {
            try
            {
                var receipt = await GetTransactionReceiptAsync(transactionHash, cancellationToken).ConfigureAwait(false);
                var missing = 1;
                if (receipt is not null)
                {
                    seen = 1;
                    if (confirmations == 1)
                    {
                        return receipt;
                    }
                    var head = await GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
                    seen = (int)Math.Max(1, Math.Min(confirmations, head - receipt.BlockNumber + 1));
                    if (head - receipt.BlockNumber + 1 >= confirmations)
                    {
                        var again = await GetTransactionReceiptAsync(transactionHash, cancellationToken).ConfigureAwait(false);
                        if (again is not null && again.BlockHash == receipt.BlockHash)
                        {
                            return again;
                        }
                        seen = 0;
                        continue;
                    }
                    missing = confirmations - seen;
                    if (head != lastHead)
                    {
                        (lastHead, headSince) = (head, time.GetTimestamp());
                    }
                }
                if (time.GetElapsedTime(headSince) >= Options.DevnetIdleBeforeMining
                    && (mine ??= await DevnetAutominesAsync(cancellationToken).ConfigureAwait(false)))
                {
                    // Automining devnets mine only when someone sends: mine what this wait needs.
                    await MineAsync(missing, cancellationToken).ConfigureAwait(false);
                    headSince = time.GetTimestamp();
                    continue;
                }
            }
            catch (RpcUnavailableException ex)
            {
                lastError = ex;
            }
            var waited = time.GetElapsedTime(started);
            if (waited >= limit)
            {
                throw new TransactionUnconfirmedException(transactionHash, confirmations, seen, waited, lastError);
            }
            await Task.Delay(Options.ReceiptPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http?.Dispose();

    // ---- Plumbing ----------------------------------------------------------------------------------------------

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
