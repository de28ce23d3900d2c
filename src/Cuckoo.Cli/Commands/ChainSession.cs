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
    private ChainSession(
        ChainClient client, Uri rpcUrl, DevnetDeployment deployment, string deploymentFile, Address token, Address staking, int confirmations, TimeSpan timeout)
    {
        Client = client;
        RpcUrl = rpcUrl;
        Deployment = deployment;
        DeploymentFile = deploymentFile;
        Confirmations = confirmations;
        Timeout = timeout;
        // The clients wait for every confirmation; on an automining devnet the chain client mines the blocks it waits for.
        var options = new ContractClientOptions { Confirmations = confirmations, ReceiptTimeout = timeout };
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

    /// <summary>
    /// Runs <paramref name="send"/>, which returns once the transaction has <see cref="Confirmations"/> (the chain client
    /// mines them on an automining devnet). A deadline becomes a sentence that names the transaction and its block.
    /// </summary>
    public async Task<T> SendAsync<T>(Func<Task<T>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send();
        }
        catch (TransactionUnconfirmedException ex)
        {
            var receipt = ex.ConfirmationsSeen > 0 ? await Client.GetTransactionReceiptAsync(ex.TransactionHash, cancellationToken) : null;
            var where = receipt is null
                ? $"transaction {ex.TransactionHash} was sent but not mined after {Timeout.TotalSeconds:0} s"
                : $"transaction {ex.TransactionHash} was mined in block {receipt.BlockNumber} but has {ex.ConfirmationsSeen} of {ex.ConfirmationsWanted} confirmations after {Timeout.TotalSeconds:0} s";
            throw new CliException(ExitCodes.Failed, "timeout",
                $"{where}; it stands, so check it with `cuckoo chain status` instead of sending it again", ex);
        }
    }

    /// <summary>The ETH balance of <paramref name="account"/> in wei.</summary>
    public Task<BigInteger> EthBalanceAsync(Address account, CancellationToken cancellationToken) => Client.GetBalanceAsync(account, null, cancellationToken);

    /// <summary>The chain is the local Hardhat devnet (chain id 31337), whose development accounts are publicly known.</summary>
    public bool IsDevnet => Deployment.ChainId == DevAccounts.HardhatChainId;

    public void Dispose() => Client.Dispose();

    private static Address ParseDeploymentAddress(string text, string contract, string file) =>
        Address.TryParse(text, out var address) && !address.IsZero
            ? address
            : throw new CliException(ExitCodes.Chain, "deployment", $"{file} has no valid {contract} address");
}
