using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;

namespace Cuckoo.Cli.Commands;

/// <summary>
/// A checked connection to the chain of a deployment file: right chain id, contracts in place. With the typed
/// contract clients, this is the CLI's one use of the chain layer (JSON-RPC, senders, devnet calls).
/// </summary>
internal sealed class ChainSession : IDisposable
{
    private static readonly BigInteger OneEth = BigInteger.Pow(10, 18);

    private bool? _automines;

    private ChainSession(
        ChainClient client, Uri rpcUrl, DevnetDeployment deployment, string deploymentFile, Address token, Address staking, int confirmations, TimeSpan timeout)
    {
        Client = client;
        RpcUrl = rpcUrl;
        Deployment = deployment;
        DeploymentFile = deploymentFile;
        Confirmations = confirmations;
        Timeout = timeout;
        // The clients return once a transaction is mined; ConfirmAsync waits for (or, on a devnet, mines) the rest.
        var options = new ContractClientOptions { Confirmations = 1, ReceiptTimeout = timeout };
        Token = new CaiTokenClient(client, token, options);
        Staking = new CuckooStakingClient(client, staking, options, token);
    }

    /// <summary>Blocks on top of a transaction (1 = mined) before a command counts it as done.</summary>
    public int Confirmations { get; }

    /// <summary>How long a command waits for a transaction to be mined, and then for its confirmations (--timeout).</summary>
    public TimeSpan Timeout { get; }

    public ChainClient Client { get; }

    public Uri RpcUrl { get; }

    public DevnetDeployment Deployment { get; }

    public string DeploymentFile { get; }

    public CaiTokenClient Token { get; }

    public CuckooStakingClient Staking { get; }

    public static async Task<ChainSession> OpenAsync(CliContext context, CliOptions options, CancellationToken cancellationToken)
    {
        var signs = context.Parse.CommandResult.Command.Options.Contains(options.Confirmations);
        var confirmations = signs ? context.Parse.GetValue(options.Confirmations) : 1;
        if (confirmations < 1)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"--confirmations must be at least 1, not {confirmations}");
        }
        var timeout = signs ? context.Parse.GetValue(options.Timeout) : 120;
        if (timeout < 1)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"--timeout must be at least 1 second, not {timeout}");
        }
        var file = context.Parse.GetValue(options.Deployment) ?? Environment.GetEnvironmentVariable("CUCKOO_DEPLOYMENT")
                   ?? Path.Combine(KeyRing.DataDirectory(), "devnet.json");
        if (!File.Exists(file))
        {
            throw new CliException(ExitCodes.Chain, "deployment", $"{file} does not exist: start the devnet with `cuckoo devnet up`, or pass --deployment FILE");
        }
        var deployment = DevnetDeployment.Read(file);
        var url = context.Parse.GetValue(options.Rpc) ?? Environment.GetEnvironmentVariable("CUCKOO_RPC_URL") ?? deployment.RpcUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var rpcUrl) || rpcUrl.Scheme is not ("http" or "https"))
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"'{url}' is not an http(s) RPC URL");
        }
        var token = ParseDeploymentAddress(deployment.CaiToken, "CaiToken", file);
        var staking = ParseDeploymentAddress(deployment.CuckooStaking, "CuckooStaking", file);
        // One quick retry: a CLI should say "unreachable" in seconds, not after a long backoff.
        var client = new ChainClient(rpcUrl, new ChainClientOptions { MaxRetries = 1, InitialBackoff = TimeSpan.FromMilliseconds(200), RequestTimeout = TimeSpan.FromSeconds(15) });
        try
        {
            var chainId = await client.GetChainIdAsync(cancellationToken);
            if (chainId != deployment.ChainId)
            {
                throw new CliException(ExitCodes.Chain, "wrong-chain",
                    $"wrong chain id: the node at {rpcUrl} is on chain {chainId}, but {file} is for chain {deployment.ChainId}");
            }
            var code = await client.CallAsync<string>("eth_getCode", staking.ToString(), "latest");
            if (string.IsNullOrEmpty(code) || code == "0x")
            {
                throw new CliException(ExitCodes.Chain, "no-contract",
                    $"no CuckooStaking contract at {staking} on the node at {rpcUrl}: {file} is out of date (was the devnet restarted?)");
            }
            return new ChainSession(client, rpcUrl, deployment, file, token, staking, confirmations, TimeSpan.FromSeconds(timeout));
        }
        catch (Exception ex) when (ex is RpcUnavailableException or HttpRequestException)
        {
            client.Dispose();
            throw new CliException(ExitCodes.Chain, "node-unreachable", $"the node at {rpcUrl} is unreachable: {ex.Message}", ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public TransactionSender Sender(EthKey key) => new(Client, key);

    /// <summary>Runs <paramref name="send"/> (mined, one confirmation) and then waits for <see cref="Confirmations"/>.</summary>
    public async Task<TransactionOutcome> SendAsync(Func<Task<TransactionOutcome>> send, CancellationToken cancellationToken)
    {
        var outcome = await send();
        await ConfirmAsync(outcome.TransactionHash, outcome.BlockNumber, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Waits until the block <paramref name="minedIn"/> has <see cref="Confirmations"/> − 1 blocks on top. An
    /// automining devnet only mines when a transaction arrives, so there the missing blocks are mined at once;
    /// elsewhere the wait ends after <see cref="Timeout"/> with a sentence naming the transaction.
    /// </summary>
    public async Task ConfirmAsync(string hash, long minedIn, CancellationToken cancellationToken)
    {
        var target = minedIn + Confirmations - 1;
        var head = await Client.GetBlockNumberAsync(cancellationToken);
        if (head >= target)
        {
            return;
        }
        if (await AutominesAsync(cancellationToken))
        {
            await MineAsync((int)(target - head), cancellationToken);
            return;
        }
        var deadline = DateTimeOffset.UtcNow + Timeout;
        while ((head = await Client.GetBlockNumberAsync(cancellationToken)) < target)
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new CliException(ExitCodes.Failed, "timeout",
                    $"transaction {hash} was mined in block {minedIn} but has {head - minedIn + 1} of {Confirmations} confirmations after {Timeout.TotalSeconds:0} s; it stands, so check it with `cuckoo chain status` instead of sending it again");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>Whether the node is a Hardhat devnet that mines a block per transaction (<c>hardhat_getAutomine</c>).</summary>
    public async Task<bool> AutominesAsync(CancellationToken cancellationToken)
    {
        if (_automines is null)
        {
            try
            {
                _automines = await Client.CallAsync<bool>("hardhat_getAutomine", [], cancellationToken);
            }
            catch (RpcException)
            {
                _automines = false; // not Hardhat: blocks come on their own
            }
        }
        return _automines.Value;
    }

    /// <summary>Mines <paramref name="blocks"/> empty blocks (a devnet only).</summary>
    public async Task MineAsync(int blocks, CancellationToken cancellationToken)
    {
        for (var i = 0; i < blocks; i++)
        {
            await Client.CallAsync("evm_mine", [], cancellationToken);
        }
    }

    /// <summary>
    /// `devnet advance`: moves the devnet's clock forward by <paramref name="by"/> and mines a block stamped with the
    /// new time (<c>evm_increaseTime</c> + <c>evm_mine</c>). Returns the new block's number and timestamp.
    /// </summary>
    public async Task<(long Block, DateTimeOffset Time)> AdvanceTimeAsync(TimeSpan by, CancellationToken cancellationToken)
    {
        try
        {
            await Client.CallAsync("evm_increaseTime", [(long)by.TotalSeconds], cancellationToken);
            await Client.CallAsync("evm_mine", [], cancellationToken);
        }
        catch (RpcException ex)
        {
            throw new CliException(ExitCodes.Chain, "not-a-devnet", $"the node at {RpcUrl} cannot move its clock ({ex.RpcMessage}): only a devnet can", ex);
        }
        var block = await Client.GetBlockByNumberAsync(BlockParameter.Latest, cancellationToken)
                    ?? throw new CliException(ExitCodes.Chain, "rpc-error", $"the node at {RpcUrl} has no latest block");
        return (block.Number, DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp));
    }

    /// <summary>The ETH balance of <paramref name="account"/> in wei.</summary>
    public Task<BigInteger> EthBalanceAsync(Address account, CancellationToken cancellationToken) => Client.GetBalanceAsync(account, null, cancellationToken);

    /// <summary>
    /// On a devnet (Hardhat's chain id), gives <paramref name="account"/> <paramref name="eth"/> ETH for gas from the
    /// publicly known deployer account when it has less than one; null when nothing was sent.
    /// </summary>
    public async Task<TransactionOutcome?> FundGasOnDevnetAsync(Address account, int eth, CancellationToken cancellationToken)
    {
        if (!IsDevnet || account == DevAccounts.Deployer.Address || await EthBalanceAsync(account, cancellationToken) >= OneEth)
        {
            return null;
        }
        var receipt = await new TransactionSender(Client, DevAccounts.Deployer.Key).SendAndWaitAsync(
            new TransactionRequest { To = account, Value = eth * OneEth }, 1, Timeout, cancellationToken);
        await ConfirmAsync(receipt.TransactionHash, receipt.BlockNumber, cancellationToken);
        return new TransactionOutcome(receipt, []);
    }

    /// <summary>The chain is the local Hardhat devnet (chain id 31337), whose development accounts are publicly known.</summary>
    public bool IsDevnet => Deployment.ChainId == HardhatChainId;

    public const long HardhatChainId = 31_337;

    public void Dispose() => Client.Dispose();

    private static Address ParseDeploymentAddress(string text, string contract, string file) =>
        Address.TryParse(text, out var address) && !address.IsZero
            ? address
            : throw new CliException(ExitCodes.Chain, "deployment", $"{file} has no valid {contract} address");
}
