using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;

namespace Cuckoo.Chain;

/// <summary>
/// A thin client of one Ethereum node over Nethereum's <see cref="Web3"/> and <see cref="RpcClient"/>. What is ours:
/// transport failures are retried with backoff (Nethereum's client does not retry), every call has a deadline and a
/// cancellation token (Nethereum's calls take none), Nethereum's exceptions become <see cref="RpcException"/>,
/// <see cref="ContractRevertException"/> and <see cref="RpcUnavailableException"/> with sentences, the chain id is
/// cached and can be guarded, and waiting for confirmations ends (it mines on a devnet, and has a deadline).
/// Thread-safe; share one per endpoint.
/// </summary>
public sealed partial class ChainClient : IDisposable
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

    public void Dispose() => _http?.Dispose();
}
