using Newtonsoft.Json.Linq;

namespace Cuckoo.Chain;

/// <summary>Devnet helpers (Hardhat, anvil) and waiting for receipts and confirmations.</summary>
public sealed partial class ChainClient
{
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
}
