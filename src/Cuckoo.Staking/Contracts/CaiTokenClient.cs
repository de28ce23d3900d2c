using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Staking;

/// <summary>Typed access to a deployed CaiToken contract: every function, view and event.</summary>
public sealed class CaiTokenClient : ContractClient
{
    public CaiTokenClient(JsonRpcClient client, Address address, ContractClientOptions? options = null)
        : base("CaiToken", client, address, CaiTokenAbi.Abi, options)
    {
    }

    protected override (Address? Staking, Address? Token) EventSources => (null, Address);

    public static async Task<CaiTokenClient> DeployAsync(
        TransactionSender sender, byte[] bytecode, TokenParameters parameters, ContractClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new ContractClientOptions();
        var address = await DeployAsync(
            sender, "CaiToken", bytecode, ["uint256", "uint256", "uint256"],
            [parameters.InitialSupply, parameters.FaucetAmount, (BigInteger)parameters.FaucetCooldown.TotalSeconds],
            options, cancellationToken).ConfigureAwait(false);
        return new CaiTokenClient(sender.Client, address, options);
    }

    public Task<TransactionOutcome> TransferAsync(TransactionSender sender, Address to, BigInteger value, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "transfer", [to, value], cancellationToken);

    public Task<TransactionOutcome> ApproveAsync(TransactionSender sender, Address spender, BigInteger value, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "approve", [spender, value], cancellationToken);

    public Task<TransactionOutcome> TransferFromAsync(TransactionSender sender, Address from, Address to, BigInteger value, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "transferFrom", [from, to, value], cancellationToken);

    /// <summary>Mints the faucet amount to the sender (test networks).</summary>
    public Task<TransactionOutcome> FaucetAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "faucet", [], cancellationToken);

    public Task<TransactionOutcome> SetFaucetEnabledAsync(TransactionSender sender, bool enabled, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "setFaucetEnabled", [enabled], cancellationToken);

    public Task<TransactionOutcome> TransferOwnershipAsync(TransactionSender sender, Address newOwner, CancellationToken cancellationToken = default) =>
        SendAsync(sender, "transferOwnership", [newOwner], cancellationToken);

    public Task<string> NameAsync() => ReadAsync<string>("name");

    public Task<string> SymbolAsync() => ReadAsync<string>("symbol");

    public async Task<int> DecimalsAsync() => (int)await ReadAsync<BigInteger>("decimals").ConfigureAwait(false);

    public Task<BigInteger> TotalSupplyAsync() => ReadAsync<BigInteger>("totalSupply");

    public Task<BigInteger> BalanceOfAsync(Address account) => ReadAsync<BigInteger>("balanceOf", account);

    public Task<BigInteger> AllowanceAsync(Address owner, Address spender) => ReadAsync<BigInteger>("allowance", owner, spender);

    public Task<Address> OwnerAsync() => ReadAsync<Address>("owner");

    public Task<bool> FaucetEnabledAsync() => ReadAsync<bool>("faucetEnabled");

    public Task<BigInteger> FaucetAmountAsync() => ReadAsync<BigInteger>("faucetAmount");

    public async Task<TimeSpan> FaucetCooldownAsync() => TimeSpan.FromSeconds((double)await ReadAsync<BigInteger>("faucetCooldown").ConfigureAwait(false));

    /// <summary>When the account last used the faucet, or null.</summary>
    public async Task<DateTimeOffset?> LastFaucetAtAsync(Address account)
    {
        var at = await ReadAsync<BigInteger>("lastFaucetAt", account).ConfigureAwait(false);
        return at.IsZero ? null : DateTimeOffset.FromUnixTimeSeconds((long)at);
    }

    /// <summary>When the account may next use the faucet; null when it may now.</summary>
    public async Task<DateTimeOffset?> FaucetAvailableAtAsync(Address account)
    {
        var at = await ReadAsync<BigInteger>("faucetAvailableAt", account).ConfigureAwait(false);
        return at.IsZero ? null : DateTimeOffset.FromUnixTimeSeconds((long)at);
    }

    /// <summary>This token's events in a block range (both ends inclusive), in chain order.</summary>
    public async Task<IReadOnlyList<ContractEvent>> GetEventsAsync(long fromBlock, long toBlock, CancellationToken cancellationToken = default)
    {
        var logs = await Client.GetLogsAsync(
            new LogFilter { FromBlock = fromBlock, ToBlock = toBlock, Addresses = [Address] }, cancellationToken).ConfigureAwait(false);
        var events = new List<ContractEvent>(logs.Count);
        foreach (var log in logs)
        {
            if (ContractEventDecoder.TryDecodeToken(log, out var decoded))
            {
                events.Add(decoded!);
            }
        }
        return events;
    }
}
