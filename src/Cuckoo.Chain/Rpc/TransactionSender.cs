using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;

namespace Cuckoo.Chain;

/// <summary>What to send; unset gas and fees are estimated, the nonce is managed.</summary>
public sealed record TransactionRequest
{
    /// <summary>The recipient; null deploys <see cref="Data"/> as a contract.</summary>
    public Address? To { get; init; }

    public byte[] Data { get; init; } = [];

    public BigInteger Value { get; init; }

    /// <summary>Null: estimated, plus the sender's margin.</summary>
    public BigInteger? GasLimit { get; init; }

    public BigInteger? MaxFeePerGas { get; init; }

    public BigInteger? MaxPriorityFeePerGas { get; init; }

    /// <summary>Set to send a legacy (EIP-155) transaction at this gas price.</summary>
    public BigInteger? GasPrice { get; init; }

    /// <summary>An explicit nonce bypasses the nonce manager (replacements, cancellations).</summary>
    public BigInteger? Nonce { get; init; }
}

/// <summary>Settings of a <see cref="TransactionSender"/>.</summary>
public sealed record TransactionSenderOptions
{
    /// <summary>Added to the gas estimate, in percent; 20 by default (estimates can fall short when state moves).</summary>
    public int GasMarginPercent { get; init; } = 20;

    /// <summary>Null: asked from the node once. Set it to refuse to sign for another chain (<see cref="WrongChainException"/>).</summary>
    public long? ChainId { get; init; }

    /// <summary>Send legacy transactions at <c>eth_gasPrice</c> (for chains without EIP-1559); false by default.</summary>
    public bool Legacy { get; init; }

    /// <summary>Resends after "nonce too low/high" with a nonce re-read from the node; 3 by default.</summary>
    public int MaxNonceRetries { get; init; } = 3;
}

/// <summary>A broadcast transaction: its hash, nonce and signed bytes (0x-hex, as Nethereum's signers produce them).</summary>
public sealed record SentTransaction(string Hash, BigInteger Nonce, string RawHex);

/// <summary>
/// Signs and sends transactions for one key: gas estimation with a margin, EIP-1559 fees, and nonce management that is
/// safe for concurrent sends. Transactions are Nethereum's models (<see cref="TransactionSigning"/>);
/// ours is the order: one lock per sender address (shared through <see cref="ChainClient.Nonces"/>) covers nonce choice,
/// signing and broadcast, because Hardhat's automine rejects concurrent sends from one account, and any failed
/// broadcast makes the next send re-read the nonce from the node.
/// </summary>
public sealed class TransactionSender
{
    private readonly EthKey _key;

    public TransactionSender(ChainClient client, EthKey key, TransactionSenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(key);
        Client = client;
        _key = key;
        Options = options ?? new TransactionSenderOptions();
    }

    public ChainClient Client { get; }

    public TransactionSenderOptions Options { get; }

    public Address Address => _key.Address;

    /// <summary>Estimates, signs and broadcasts; returns once the node accepted the transaction.</summary>
    /// <exception cref="ContractRevertException">gas estimation says it would revert.</exception>
    /// <exception cref="RpcException">the node refused it (e.g. insufficient funds).</exception>
    /// <exception cref="RpcUnavailableException">the node is unreachable (the nonce is re-read before the next send).</exception>
    public async Task<SentTransaction> SendAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var nodeChainId = await Client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        if (Options.ChainId is { } expected && expected != nodeChainId)
        {
            throw new WrongChainException(
                $"Wrong chain: the node at {Client.Endpoint} is on chain {nodeChainId}, but this sender signs for chain {expected}; nothing was sent.", expected, nodeChainId);
        }
        var gas = request.GasLimit ?? await EstimateAsync(request, cancellationToken).ConfigureAwait(false);
        Func<BigInteger, string> sign;
        if (request.GasPrice is not null || Options.Legacy)
        {
            var gasPrice = request.GasPrice ?? await Client.GetGasPriceAsync(cancellationToken).ConfigureAwait(false);
            sign = nonce => TransactionSigning.SignLegacy(_key, nodeChainId, nonce, gasPrice, gas, request.To, request.Value, request.Data);
        }
        else
        {
            BigInteger maxFee, tip;
            if (request.MaxFeePerGas is { } givenMax && request.MaxPriorityFeePerGas is { } givenTip)
            {
                (maxFee, tip) = (givenMax, givenTip);
            }
            else
            {
                var suggestion = await Client.SuggestFeesAsync(cancellationToken).ConfigureAwait(false);
                tip = request.MaxPriorityFeePerGas ?? suggestion.MaxPriorityFeePerGas;
                maxFee = request.MaxFeePerGas ?? BigInteger.Max(suggestion.MaxFeePerGas, tip);
                tip = BigInteger.Min(tip, maxFee);
            }
            sign = nonce => TransactionSigning.Sign1559(_key, nodeChainId, nonce, tip, maxFee, gas, request.To, request.Value, request.Data);
        }

        if (request.Nonce is { } explicitNonce)
        {
            var signed = sign(explicitNonce).EnsureHexPrefix();
            var hash = await BroadcastAsync(signed, cancellationToken).ConfigureAwait(false);
            return new SentTransaction(hash, explicitNonce, signed);
        }

        var slot = Client.Nonces.For(Address);
        await slot.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                slot.Next ??= await Client.GetTransactionCountAsync(Address, BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
                var nonce = slot.Next.Value;
                var signed = sign(nonce).EnsureHexPrefix();
                try
                {
                    var hash = await BroadcastAsync(signed, cancellationToken).ConfigureAwait(false);
                    slot.Next = nonce + 1;
                    return new SentTransaction(hash, nonce, signed);
                }
                catch (RpcException ex) when (IsNonceError(ex) && attempt < Options.MaxNonceRetries)
                {
                    slot.Next = null;
                }
                catch
                {
                    // Whether the node kept it is unknown (a timeout, or Hardhat mining a reverting transaction): ask again next time.
                    slot.Next = null;
                    throw;
                }
            }
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    /// <summary>Sends and waits for the receipt.</summary>
    /// <exception cref="TransactionFailedException">mined but reverted; the reason comes from replaying the call.</exception>
    /// <exception cref="TransactionUnconfirmedException">sent, but not confirmed by the deadline (the message has the hash).</exception>
    public async Task<TransactionReceipt> SendAndWaitAsync(TransactionRequest request, int confirmations = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default, IEnumerable<Type>? errors = null)
    {
        SentTransaction sent;
        try
        {
            sent = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ContractRevertException ex) when (errors is not null)
        {
            throw ex.WithErrors(errors);
        }
        var receipt = await Client.WaitForReceiptAsync(sent.Hash, confirmations, timeout, cancellationToken).ConfigureAwait(false);
        if (!receipt.Succeeded)
        {
            throw new TransactionFailedException(receipt, await ReplayRevertAsync(request, receipt, errors, cancellationToken).ConfigureAwait(false));
        }
        return receipt;
    }

    private async Task<RevertInfo?> ReplayRevertAsync(TransactionRequest request, TransactionReceipt receipt, IEnumerable<Type>? errors, CancellationToken cancellationToken)
    {
        try
        {
            var call = new CallRequest { From = Address, To = request.To, Data = request.Data, Value = request.Value, Gas = receipt.GasUsed * 2 };
            await Client.EthCallAsync(call, BlockParameter.Number(Math.Max(0, receipt.BlockNumber - 1)), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ContractRevertException ex)
        {
            return errors is null ? ex.Revert : ex.DecodeWith(errors);
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private async Task<BigInteger> EstimateAsync(TransactionRequest request, CancellationToken cancellationToken)
    {
        var estimate = await Client.EstimateGasAsync(
            new CallRequest { From = Address, To = request.To, Data = request.Data, Value = request.Value }, cancellationToken).ConfigureAwait(false);
        return estimate * (100 + Options.GasMarginPercent) / 100;
    }

    private async Task<string> BroadcastAsync(string rawHex, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.SendRawTransactionAsync(rawHex, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex is not ContractRevertException && IsAlreadyKnown(ex))
        {
            // A retried broadcast whose first attempt reached the node.
            return Sha3Keccack.Current.CalculateHashFromHex(rawHex).EnsureHexPrefix();
        }
    }

    private static bool IsNonceError(RpcException ex) =>
        ex.RpcMessage.Contains("nonce too low", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("nonce too high", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("replacement transaction underpriced", StringComparison.OrdinalIgnoreCase);

    private static bool IsAlreadyKnown(RpcException ex) =>
        ex.RpcMessage.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("known transaction", StringComparison.OrdinalIgnoreCase);
}
