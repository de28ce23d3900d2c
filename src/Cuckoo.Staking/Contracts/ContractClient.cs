using System.Reflection;
using Cuckoo.Chain;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Cuckoo.Staking;

/// <summary>Settings shared by the typed contract clients.</summary>
public sealed record ContractClientOptions
{
    /// <summary>Blocks a transaction needs on top of it (1 = mined) before a send returns; 1 by default.</summary>
    public int Confirmations { get; init; } = 1;

    /// <summary>How long a send waits for those confirmations; 2 minutes by default (then <see cref="TransactionUnconfirmedException"/>).</summary>
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

/// <summary>
/// Calls and sends for one deployed contract through its typed Nethereum messages, with reverts turned into
/// <see cref="StakingRevertException"/>. Reads go through Nethereum's query handlers; sends through
/// <see cref="TransactionSender"/> (per-sender serialization, nonces, confirmations).
/// </summary>
public abstract class ContractClient
{
    private readonly string _name;

    protected ContractClient(string name, ChainClient client, Address address, IReadOnlyList<Type> errors, ContractClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(client);
        _name = name;
        Errors = errors;
        Client = client;
        Address = address;
        Options = options ?? new ContractClientOptions();
    }

    public Address Address { get; }

    public ChainClient Client { get; }

    public ContractClientOptions Options { get; }

    /// <summary>The <c>[Error]</c> classes that revert data of this contract is decoded with.</summary>
    public IReadOnlyList<Type> Errors { get; }

    /// <summary>The staking and token addresses whose events a receipt is decoded for.</summary>
    protected abstract (Address? Staking, Address? Token) EventSources { get; }

    /// <summary>Reads a view that returns one value.</summary>
    protected Task<TOutput> QueryAsync<TFunction, TOutput>(TFunction function, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new() =>
        GuardAsync(FunctionName<TFunction>(), () => Client.Web3.Eth.GetContractQueryHandler<TFunction>().QueryAsync<TOutput>(Address.ToString(), function), cancellationToken);

    /// <summary>Reads a view that returns several values into its <c>[FunctionOutput]</c> class.</summary>
    protected Task<TOutput> QueryOutputAsync<TFunction, TOutput>(TFunction function, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
        where TOutput : IFunctionOutputDTO, new() =>
        GuardAsync(FunctionName<TFunction>(), () => Client.Web3.Eth.GetContractQueryHandler<TFunction>().QueryDeserializingToObjectAsync<TOutput>(function, Address.ToString()), cancellationToken);

    protected async Task<TransactionOutcome> SendAsync<TFunction>(TransactionSender sender, TFunction function, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        ArgumentNullException.ThrowIfNull(sender);
        var request = new TransactionRequest { To = Address, Data = function.GetCallData() };
        var receipt = await SendAndWaitAsync(sender, _name, FunctionName<TFunction>(), request, Errors, Options, cancellationToken).ConfigureAwait(false);
        var (staking, token) = EventSources;
        return new TransactionOutcome(receipt, ContractEventDecoder.FromReceipt(receipt, staking, token));
    }

    /// <summary>Deploys with Nethereum's deployment encoding (bytecode + constructor arguments) and returns the new address.</summary>
    protected static async Task<Address> DeployAsync<TDeployment>(
        TransactionSender sender, string contract, byte[] bytecode, TDeployment deployment, IReadOnlyList<Type> errors, ContractClientOptions options,
        CancellationToken cancellationToken)
        where TDeployment : ContractDeploymentMessage, new()
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(bytecode);
        deployment.ByteCode = bytecode.ToHex(prefix: true);
        var request = new TransactionRequest { Data = deployment.GetDeploymentData() };
        var receipt = await SendAndWaitAsync(sender, contract, "constructor", request, errors, options, cancellationToken).ConfigureAwait(false);
        return receipt.ContractAddress ?? throw new InvalidOperationException($"Deploying {contract} produced no contract address.");
    }

    private static async Task<TransactionReceipt> SendAndWaitAsync(
        TransactionSender sender, string contract, string function, TransactionRequest request, IReadOnlyList<Type> errors, ContractClientOptions options,
        CancellationToken cancellationToken)
    {
        try
        {
            return await sender.SendAndWaitAsync(request, options.Confirmations, options.ReceiptTimeout, cancellationToken, errors).ConfigureAwait(false);
        }
        catch (ContractRevertException ex)
        {
            throw new StakingRevertException(contract, function, ex.DecodeWith(errors), ex);
        }
        catch (TransactionFailedException ex)
        {
            throw new StakingRevertException(contract, function, ex.Revert ?? RevertInfo.Decode([]), ex);
        }
    }

    private async Task<T> GuardAsync<T>(string function, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.RunAsync("eth_call", call, cancellationToken).ConfigureAwait(false);
        }
        catch (ContractRevertException ex)
        {
            throw new StakingRevertException(_name, function, ex.DecodeWith(Errors), ex);
        }
    }

    private static string FunctionName<TFunction>() =>
        typeof(TFunction).GetCustomAttribute<FunctionAttribute>()?.Name ?? typeof(TFunction).Name;
}
