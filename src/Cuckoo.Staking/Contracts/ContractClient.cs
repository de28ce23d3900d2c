using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Staking;

/// <summary>Settings shared by the typed contract clients.</summary>
public sealed record ContractClientOptions
{
    /// <summary>Blocks a transaction needs on top of it (1 = mined) before a send returns; 1 by default.</summary>
    public int Confirmations { get; init; } = 1;

    /// <summary>How long a send waits for those confirmations; 2 minutes by default.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>A mined, successful transaction and the events of our contracts it emitted.</summary>
public sealed record TransactionOutcome(TransactionReceipt Receipt, IReadOnlyList<ContractEvent> Events)
{
    public string TransactionHash => Receipt.TransactionHash;

    public long BlockNumber => Receipt.BlockNumber;

    public IEnumerable<T> EventsOf<T>() where T : ContractEvent => Events.OfType<T>();

    /// <summary>The one event of type <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">none or several.</exception>
    public T Single<T>() where T : ContractEvent => Events.OfType<T>().Single();
}

/// <summary>Calls and sends for one deployed contract, with reverts turned into <see cref="StakingRevertException"/>.</summary>
public abstract class ContractClient
{
    private readonly string _name;
    private readonly ContractAbi _abi;

    protected ContractClient(string name, JsonRpcClient client, Address address, ContractAbi abi, ContractClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(abi);
        _name = name;
        _abi = abi;
        Client = client;
        Address = address;
        Options = options ?? new ContractClientOptions();
    }

    public Address Address { get; }

    public JsonRpcClient Client { get; }

    public ContractClientOptions Options { get; }

    /// <summary>The staking and token addresses whose events a receipt is decoded for.</summary>
    protected abstract (Address? Staking, Address? Token) EventSources { get; }

    protected async Task<object?[]> ReadAsync(string function, params object?[] args)
    {
        var f = _abi.Function(function);
        try
        {
            var output = await Client.EthCallAsync(new CallRequest { To = Address, Data = Encode(f, args) }).ConfigureAwait(false);
            return f.DecodeOutput(output);
        }
        catch (ContractRevertException ex)
        {
            throw new StakingRevertException(_name, function, ex.DecodeWith(_abi), ex);
        }
    }

    protected async Task<T> ReadAsync<T>(string function, params object?[] args) => (T)(await ReadAsync(function, args).ConfigureAwait(false))[0]!;

    protected async Task<TransactionOutcome> SendAsync(TransactionSender sender, string function, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var request = new TransactionRequest { To = Address, Data = Encode(_abi.Function(function), args) };
        TransactionReceipt receipt;
        try
        {
            receipt = await sender.SendAndWaitAsync(request, Options.Confirmations, Options.ReceiptTimeout, cancellationToken, _abi).ConfigureAwait(false);
        }
        catch (ContractRevertException ex)
        {
            throw new StakingRevertException(_name, function, ex.DecodeWith(_abi), ex);
        }
        catch (TransactionFailedException ex)
        {
            throw new StakingRevertException(_name, function, ex.Revert ?? RevertInfo.Decode([]), ex);
        }
        var (staking, token) = EventSources;
        return new TransactionOutcome(receipt, ContractEventDecoder.FromReceipt(receipt, staking, token));
    }

    // A call without arguments is just the selector.
    private static byte[] Encode(AbiFunction function, object?[] args) => args.Length == 0 ? function.Selector : function.EncodeCall(args);

    /// <summary>Deploys <paramref name="bytecode"/> with ABI-encoded constructor arguments and returns the new address.</summary>
    protected static async Task<Address> DeployAsync(
        TransactionSender sender, string contract, byte[] bytecode, string[] constructorTypes, object?[] args, ContractClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(bytecode);
        var data = bytecode.Concat(Abi.Encode(constructorTypes, args)).ToArray();
        var errors = contract == "CaiToken" ? CaiTokenAbi.Abi : CuckooStakingAbi.Own;
        TransactionReceipt receipt;
        try
        {
            receipt = await sender.SendAndWaitAsync(
                new TransactionRequest { Data = data }, options.Confirmations, options.ReceiptTimeout, cancellationToken, errors).ConfigureAwait(false);
        }
        catch (ContractRevertException ex)
        {
            throw new StakingRevertException(contract, "constructor", ex.DecodeWith(errors), ex);
        }
        catch (TransactionFailedException ex)
        {
            throw new StakingRevertException(contract, "constructor", ex.Revert ?? RevertInfo.Decode([]), ex);
        }
        return receipt.ContractAddress ?? throw new InvalidOperationException($"Deploying {contract} produced no contract address.");
    }
}
