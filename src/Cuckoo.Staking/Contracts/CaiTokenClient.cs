using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking.Contracts.CaiToken;

namespace Cuckoo.Staking;

/// <summary>Typed access to a deployed CaiToken contract: every function, view and event (Nethereum messages in <see cref="CaiTokenTypes"/>).</summary>
public sealed class CaiTokenClient : ContractClient
{
    public CaiTokenClient(ChainClient client, Address address, ContractClientOptions? options = null)
        : base("CaiToken", client, address, CaiTokenTypes.Errors, options)
    {
    }

    protected override (Address? Staking, Address? Token) EventSources => (null, Address);

    public static async Task<CaiTokenClient> DeployAsync(
        TransactionSender sender, byte[] bytecode, TokenParameters parameters, ContractClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new ContractClientOptions();
        var deployment = new CaiTokenDeployment
        {
            InitialSupply = parameters.InitialSupply,
            FaucetAmount = parameters.FaucetAmount,
            FaucetCooldown = (BigInteger)parameters.FaucetCooldown.TotalSeconds,
        };
        var address = await DeployAsync(sender, "CaiToken", bytecode, deployment, CaiTokenTypes.Errors, options, cancellationToken).ConfigureAwait(false);
        return new CaiTokenClient(sender.Client, address, options);
    }

    public Task<TransactionOutcome> TransferAsync(TransactionSender sender, Address to, BigInteger value, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new TransferFunction { To = to.ToString(), Value = value }, cancellationToken);

    public Task<TransactionOutcome> ApproveAsync(TransactionSender sender, Address spender, BigInteger value, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new ApproveFunction { Spender = spender.ToString(), Value = value }, cancellationToken);

    public Task<TransactionOutcome> TransferFromAsync(TransactionSender sender, Address from, Address to, BigInteger value, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new TransferFromFunction { From = from.ToString(), To = to.ToString(), Value = value }, cancellationToken);

    /// <summary>Mines the faucet amount to the sender (test networks). A key without ETH for gas: see <c>DevnetFaucet.FundAsync</c>.</summary>
    public Task<TransactionOutcome> FaucetAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new FaucetFunction(), cancellationToken);

    public Task<TransactionOutcome> SetFaucetEnabledAsync(TransactionSender sender, bool enabled, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new SetFaucetEnabledFunction { Enabled = enabled }, cancellationToken);

    public Task<TransactionOutcome> TransferOwnershipAsync(TransactionSender sender, Address newOwner, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new TransferOwnershipFunction { NewOwner = newOwner.ToString() }, cancellationToken);

    /// <summary>The named pending owner takes the ownership over (step two of <see cref="TransferOwnershipAsync"/>).</summary>
    public Task<TransactionOutcome> AcceptOwnershipAsync(TransactionSender sender, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new AcceptOwnershipFunction(), cancellationToken);

    /// <summary>Destroys <paramref name="value"/> wei of the sender's own CAI.</summary>
    public Task<TransactionOutcome> BurnAsync(TransactionSender sender, BigInteger value, CancellationToken cancellationToken = default) =>
        SendAsync(sender, new BurnFunction { Value = value }, cancellationToken);

    /// <summary>The address named by <c>transferOwnership</c> that has not accepted yet, or null.</summary>
    public async Task<Address?> PendingOwnerAsync()
    {
        var pending = Address.Parse(await QueryAsync<PendingOwnerFunction, string>(new()).ConfigureAwait(false));
        return pending.IsZero ? null : pending;
    }

    public Task<BigInteger> DevnetChainIdAsync() => QueryAsync<DevnetChainIdFunction, BigInteger>(new());

    public Task<string> NameAsync() => QueryAsync<NameFunction, string>(new());

    public Task<string> SymbolAsync() => QueryAsync<SymbolFunction, string>(new());

    public async Task<int> DecimalsAsync() => (int)await QueryAsync<DecimalsFunction, BigInteger>(new()).ConfigureAwait(false);

    public Task<BigInteger> TotalSupplyAsync() => QueryAsync<TotalSupplyFunction, BigInteger>(new());

    public Task<BigInteger> BalanceOfAsync(Address account) => QueryAsync<BalanceOfFunction, BigInteger>(new() { Account = account.ToString() });

    public Task<BigInteger> AllowanceAsync(Address owner, Address spender) =>
        QueryAsync<AllowanceFunction, BigInteger>(new() { Owner = owner.ToString(), Spender = spender.ToString() });

    public async Task<Address> OwnerAsync() => Address.Parse(await QueryAsync<OwnerFunction, string>(new()).ConfigureAwait(false));

    public Task<bool> FaucetEnabledAsync() => QueryAsync<FaucetEnabledFunction, bool>(new());

    public Task<BigInteger> FaucetAmountAsync() => QueryAsync<FaucetAmountFunction, BigInteger>(new());

    public async Task<TimeSpan> FaucetCooldownAsync() => TimeSpan.FromSeconds((double)await QueryAsync<FaucetCooldownFunction, BigInteger>(new()).ConfigureAwait(false));

    /// <summary>When the account last used the faucet, or null.</summary>
    public async Task<DateTimeOffset?> LastFaucetAtAsync(Address account)
    {
        var at = await QueryAsync<LastFaucetAtFunction, BigInteger>(new() { Account = account.ToString() }).ConfigureAwait(false);
        return at.IsZero ? null : DateTimeOffset.FromUnixTimeSeconds((long)at);
    }

    /// <summary>When the account may next use the faucet; null when it may now.</summary>
    public async Task<DateTimeOffset?> FaucetAvailableAtAsync(Address account)
    {
        var at = await QueryAsync<FaucetAvailableAtFunction, BigInteger>(new() { Account = account.ToString() }).ConfigureAwait(false);
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
