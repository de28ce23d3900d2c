using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>A deployed contract: calls and transactions by function name, with reverts decoded against its ABI.</summary>
public sealed class Contract
{
    public Contract(JsonRpcClient client, Address address, ContractAbi abi)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(abi);
        Client = client;
        Address = address;
        Abi = abi;
    }

    public JsonRpcClient Client { get; }

    public Address Address { get; }

    public ContractAbi Abi { get; }

    /// <exception cref="KeyNotFoundException">no such function.</exception>
    /// <exception cref="AbiEncodingException">arguments that do not fit.</exception>
    public byte[] EncodeCall(string function, params object?[] args) => Abi.Function(function).EncodeCall(args);

    /// <summary>Calls a (view) function and decodes its outputs.</summary>
    /// <exception cref="ContractRevertException">the call reverted; custom errors are decoded with this contract's ABI.</exception>
    public Task<object?[]> CallAsync(string function, params object?[] args) => CallAsync(function, args, null, null, CancellationToken.None);

    public async Task<object?[]> CallAsync(string function, object?[] args, BlockParameter? block, Address? from, CancellationToken cancellationToken)
    {
        var f = Abi.Function(function);
        var call = new CallRequest { From = from, To = Address, Data = f.EncodeCall(args) };
        try
        {
            var output = await Client.EthCallAsync(call, block, cancellationToken).ConfigureAwait(false);
            return f.DecodeOutput(output);
        }
        catch (ContractRevertException ex)
        {
            throw Redecode(ex);
        }
    }

    /// <summary>Calls a function and returns its single (first) output.</summary>
    public async Task<T> CallAsync<T>(string function, params object?[] args) => (T)(await CallAsync(function, args).ConfigureAwait(false))[0]!;

    public async Task<SentTransaction> SendAsync(TransactionSender sender, string function, object?[] args, BigInteger? value = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        try
        {
            return await sender.SendAsync(Request(function, args, value), cancellationToken).ConfigureAwait(false);
        }
        catch (ContractRevertException ex)
        {
            throw Redecode(ex);
        }
    }

    /// <summary>Sends a transaction to a function and waits for its receipt.</summary>
    /// <exception cref="ContractRevertException">estimation says it would revert (decoded with this ABI).</exception>
    /// <exception cref="TransactionFailedException">it was mined and reverted.</exception>
    public async Task<TransactionReceipt> SendAndWaitAsync(TransactionSender sender, string function, object?[] args, BigInteger? value = null, int confirmations = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        try
        {
            return await sender.SendAndWaitAsync(Request(function, args, value), confirmations, timeout, cancellationToken, Abi).ConfigureAwait(false);
        }
        catch (ContractRevertException ex)
        {
            throw Redecode(ex);
        }
    }

    /// <summary>Decodes this contract's logs in a receipt (logs of other addresses or unknown events are skipped).</summary>
    public IReadOnlyList<DecodedEvent> DecodeLogs(TransactionReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var result = new List<DecodedEvent>();
        foreach (var log in receipt.Logs)
        {
            if (log.Address == Address && Abi.TryDecodeLog(log, out var decoded))
            {
                result.Add(decoded!);
            }
        }
        return result;
    }

    private TransactionRequest Request(string function, object?[] args, BigInteger? value) =>
        new() { To = Address, Data = EncodeCall(function, args), Value = value ?? BigInteger.Zero };

    private ContractRevertException Redecode(ContractRevertException ex) =>
        new(ex.Method, ex.Code, ex.RpcMessage, ex.ErrorData, ex.Revert.Kind is RevertKind.Unknown ? ex.DecodeWith(Abi) : ex.Revert);
}
