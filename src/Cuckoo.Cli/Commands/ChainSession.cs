using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;

namespace Cuckoo.Cli.Commands;

/// <summary>A checked connection to the chain of a deployment file: right chain id, contracts in place.</summary>
internal sealed class ChainSession : IDisposable
{
    private ChainSession(ChainClient client, Uri rpcUrl, DevnetDeployment deployment, string deploymentFile, Address token, Address staking, int confirmations)
    {
        Client = client;
        RpcUrl = rpcUrl;
        Deployment = deployment;
        DeploymentFile = deploymentFile;
        var options = new ContractClientOptions { Confirmations = confirmations };
        Token = new CaiTokenClient(client, token, options);
        Staking = new CuckooStakingClient(client, staking, options, token);
    }

    public ChainClient Client { get; }

    public Uri RpcUrl { get; }

    public DevnetDeployment Deployment { get; }

    public string DeploymentFile { get; }

    public CaiTokenClient Token { get; }

    public CuckooStakingClient Staking { get; }

    public static async Task<ChainSession> OpenAsync(CliContext context, CliOptions options, CancellationToken cancellationToken)
    {
        var confirmations = context.Parse.CommandResult.Command.Options.Contains(options.Confirmations) ? context.Parse.GetValue(options.Confirmations) : 1;
        if (confirmations < 1)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", "--confirmations must be at least 1");
        }
        var file = context.Parse.GetValue(options.Deployment) ?? Environment.GetEnvironmentVariable("CUCKOO_DEPLOYMENT")
                   ?? Path.Combine(KeyRing.DataDirectory(), "devnet.json");
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
            return new ChainSession(client, rpcUrl, deployment, file, token, staking, confirmations);
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

    public void Dispose() => Client.Dispose();

    private static Address ParseDeploymentAddress(string text, string contract, string file) =>
        Address.TryParse(text, out var address) && !address.IsZero
            ? address
            : throw new CliException(ExitCodes.Chain, "deployment", $"{file} has no valid {contract} address");
}
