using System.Numerics;
using System.Text.Json;

namespace Cuckoo.Chain;

public sealed partial class JsonRpcClient
{
    /// <summary>The chain id (cached after the first answer: it cannot change for an endpoint).</summary>
    public async Task<BigInteger> GetChainIdAsync(CancellationToken cancellationToken = default)
    {
        if (CachedChainId is { } cached)
        {
            return cached;
        }
        var chainId = await CallAsync<BigInteger>("eth_chainId", [], cancellationToken).ConfigureAwait(false);
        CachedChainId = chainId;
        return chainId;
    }

    public Task<long> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        CallAsync<long>("eth_blockNumber", [], cancellationToken);

    public Task<BigInteger> GetBalanceAsync(Address address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        CallAsync<BigInteger>("eth_getBalance", [address, block ?? BlockParameter.Latest], cancellationToken);

    public Task<BigInteger> GetTransactionCountAsync(Address address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        CallAsync<BigInteger>("eth_getTransactionCount", [address, block ?? BlockParameter.Latest], cancellationToken);

    public Task<byte[]> GetCodeAsync(Address address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        CallAsync<byte[]>("eth_getCode", [address, block ?? BlockParameter.Latest], cancellationToken);

    /// <summary><c>eth_call</c>: the return data.</summary>
    /// <exception cref="ContractRevertException">the call reverted.</exception>
    public Task<byte[]> EthCallAsync(CallRequest call, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        CallAsync<byte[]>("eth_call", [call, block ?? BlockParameter.Latest], cancellationToken);

    /// <exception cref="ContractRevertException">the transaction would revert.</exception>
    public Task<BigInteger> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default) =>
        CallAsync<BigInteger>("eth_estimateGas", [call], cancellationToken);

    /// <summary>Broadcasts a signed transaction and returns its hash.</summary>
    public Task<string> SendRawTransactionAsync(byte[] raw, CancellationToken cancellationToken = default) =>
        CallAsync<string>("eth_sendRawTransaction", [raw], cancellationToken);

    /// <summary>The receipt, or null while the transaction is pending or unknown.</summary>
    public Task<TransactionReceipt?> GetTransactionReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        CallAsync<TransactionReceipt?>("eth_getTransactionReceipt", [transactionHash], cancellationToken);

    /// <summary>A block with its transaction hashes, or null when there is no such block.</summary>
    public Task<Block?> GetBlockByNumberAsync(BlockParameter block, CancellationToken cancellationToken = default) =>
        CallAsync<Block?>("eth_getBlockByNumber", [block, false], cancellationToken);

    public Task<Block?> GetBlockByHashAsync(string blockHash, CancellationToken cancellationToken = default) =>
        CallAsync<Block?>("eth_getBlockByHash", [blockHash, false], cancellationToken);

    public async Task<IReadOnlyList<Log>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await CallAsync<Log[]>("eth_getLogs", [filter.ToJson()], cancellationToken).ConfigureAwait(false);
    }

    public Task<FeeHistory> GetFeeHistoryAsync(int blockCount, BlockParameter newestBlock, IReadOnlyList<double>? rewardPercentiles = null, CancellationToken cancellationToken = default) =>
        CallAsync<FeeHistory>("eth_feeHistory", [Hex.EncodeQuantity(blockCount), newestBlock, rewardPercentiles ?? []], cancellationToken);

    public Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        CallAsync<BigInteger>("eth_maxPriorityFeePerGas", [], cancellationToken);

    public Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken = default) =>
        CallAsync<BigInteger>("eth_gasPrice", [], cancellationToken);

    /// <summary>
    /// EIP-1559 fees: the node's priority-fee suggestion (or the median reward of recent blocks, or 1 gwei), and a max fee
    /// of twice the latest base fee plus the tip, which survives six full blocks of base-fee growth.
    /// </summary>
    /// <exception cref="InvalidOperationException">the chain has no base fee (pre-London): use legacy gas prices.</exception>
    public async Task<FeeSuggestion> SuggestFeesAsync(CancellationToken cancellationToken = default)
    {
        var latest = await GetBlockByNumberAsync(BlockParameter.Latest, cancellationToken).ConfigureAwait(false)
            ?? throw new RpcUnavailableException("eth_getBlockByNumber: the node has no latest block.");
        var baseFee = latest.BaseFeePerGas ?? throw new InvalidOperationException("The chain has no EIP-1559 base fee; send legacy transactions with a gas price.");
        BigInteger tip;
        try
        {
            tip = await GetMaxPriorityFeePerGasAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            tip = await TipFromHistoryAsync(cancellationToken).ConfigureAwait(false);
        }
        return new FeeSuggestion(baseFee * 2 + tip, tip);
    }

    private async Task<BigInteger> TipFromHistoryAsync(CancellationToken cancellationToken)
    {
        var oneGwei = new BigInteger(1_000_000_000);
        try
        {
            var history = await GetFeeHistoryAsync(5, BlockParameter.Latest, [50.0], cancellationToken).ConfigureAwait(false);
            var rewards = (history.Reward ?? []).Where(r => r.Count > 0).Select(r => r[0]).Order().ToArray();
            return rewards.Length == 0 ? oneGwei : BigInteger.Max(rewards[rewards.Length / 2], BigInteger.One);
        }
        catch (RpcException)
        {
            return oneGwei;
        }
    }

    /// <summary>
    /// Polls until the transaction is mined and has <paramref name="confirmations"/> blocks on top (1 = mined), re-reading
    /// the receipt at the end so that a reorg that moved it is noticed. Node outages are ridden out until the timeout.
    /// </summary>
    /// <exception cref="TimeoutException">not mined/confirmed in time.</exception>
    public async Task<TransactionReceipt> WaitForReceiptAsync(string transactionHash, int confirmations = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionHash);
        ArgumentOutOfRangeException.ThrowIfLessThan(confirmations, 1);
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        var time = Options.Time;
        var started = time.GetTimestamp();
        Exception? lastError = null;
        while (true)
        {
            try
            {
                var receipt = await GetTransactionReceiptAsync(transactionHash, cancellationToken).ConfigureAwait(false);
                if (receipt is not null)
                {
                    if (confirmations == 1)
                    {
                        return receipt;
                    }
                    var head = await GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
                    if (head - receipt.BlockNumber + 1 >= confirmations)
                    {
                        var again = await GetTransactionReceiptAsync(transactionHash, cancellationToken).ConfigureAwait(false);
                        if (again is not null && again.BlockHash == receipt.BlockHash)
                        {
                            return again;
                        }
                    }
                }
            }
            catch (RpcUnavailableException ex)
            {
                lastError = ex;
            }
            if (time.GetElapsedTime(started) >= limit)
            {
                throw new TimeoutException(
                    $"Transaction {transactionHash} did not reach {confirmations} confirmation(s) within {limit.TotalSeconds:0.#} s.", lastError);
            }
            await Task.Delay(Options.ReceiptPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a raw <c>result</c> element with <see cref="RpcJson.Options"/>.</summary>
    public static T Read<T>(JsonElement element) => element.Deserialize<T>(RpcJson.Options)!;
}
