using System.CommandLine;
using System.Net;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;

namespace Cuckoo.Cli.Commands;

/// <summary>Options both node commands take, and how they are read.</summary>
internal sealed class NodeOptions
{
    public Option<string> ClusterHost { get; } = new("--cluster-host") { Description = "Address Akka.Remote's TLS listener binds.", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<int> ClusterPort { get; private set; } = null!;

    public Option<string?> PublicHost { get; } = new("--public-host") { Description = "Host name peers reach this node at, when it differs from --cluster-host (NAT)." };

    public Option<string?> DataDir { get; } = new("--data-dir") { Description = "The node's own files: certificate, admin access file (default: data/<role>)." };

    public Option<string?> DevAccount { get; } = new("--dev-account")
    {
        Description = "On the local devnet only (chain id 31337): use this development account's key (coordinator, miner-1, miner-2) instead of --key.",
    };

    public void AddTo(Command command, CliOptions o, int defaultPort)
    {
        ClusterPort = new Option<int>("--cluster-port") { Description = "Port of Akka.Remote's TLS listener.", DefaultValueFactory = _ => defaultPort };
        o.WithChain(command);
        command.Options.Add(o.Key);
        command.Options.Add(o.PasswordFile);
        command.Options.Add(o.KeysDir);
        command.Options.Add(DevAccount);
        command.Options.Add(ClusterHost);
        command.Options.Add(ClusterPort);
        command.Options.Add(PublicHost);
        command.Options.Add(DataDir);
    }

    public string DataDirectory(CliContext ctx, string name) =>
        ctx.Parse.GetValue(DataDir) is { } dir ? Path.GetFullPath(dir) : Path.Combine(KeyRing.DataDirectory(), name);

    /// <summary>The node's key and a checked chain session; --dev-account only where the development keys are the chain's own.</summary>
    public async Task<(EthKey Key, ChainSession Session)> OpenAsync(CliContext ctx, CliOptions o, CancellationToken ct)
    {
        var port = ctx.Parse.GetValue(ClusterPort);
        if (port is < 1 or > 65535)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"--cluster-port must be between 1 and 65535, not {port}");
        }
        var session = await ChainSession.OpenAsync(ctx, o, ct);
        try
        {
            if (ctx.Parse.GetValue(DevAccount) is { } role)
            {
                if (session.Deployment.ChainId != DevAccounts.HardhatChainId)
                {
                    throw new CliException(ExitCodes.Key, "no-key", $"--dev-account works on the local devnet (chain id {DevAccounts.HardhatChainId}) only; this chain is {session.Deployment.ChainId}");
                }
                var account = DevAccounts.All.FirstOrDefault(a => a.Role == role)
                              ?? throw new CliException(ExitCodes.BadInput, "bad-input", $"no development account has the role '{role}' (try coordinator, miner-1, miner-2)");
                return (account.Key, session);
            }
            var file = KeyRing.ResolveKeyFile(ctx, o);
            return (KeyRing.Load(ctx, o, file), session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public static IPEndPoint ParseEndPoint(string text, string option)
    {
        if (IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port != 0)
        {
            return endPoint;
        }
        throw new CliException(ExitCodes.BadInput, "bad-input", $"{option} '{text}' is not an IP address and port, e.g. 127.0.0.1:8443");
    }

    public static string ParseThumbprint(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.Length == 64 && t.All(Uri.IsHexDigit))
        {
            return t;
        }
        throw new CliException(ExitCodes.BadInput, "bad-input", $"--peer-thumbprint '{text}' is not a SHA-256 thumbprint (64 hex digits)");
    }
}
