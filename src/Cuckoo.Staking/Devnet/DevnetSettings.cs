namespace Cuckoo.Staking.Devnet;

/// <summary>Where the devnet lives and how it is deployed.</summary>
public sealed record DevnetSettings
{
    /// <summary>The repository root (holds contracts/ and data/).</summary>
    public required string Root { get; init; }

    /// <summary>Null: <c>Root/data</c>. The deployment file is <c>devnet.json</c> here; the node's pid file and log are in <c>devnet/</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Port on 127.0.0.1: 8545, Hardhat's usual one.</summary>
    public int Port { get; init; } = 8545;

    /// <summary>How long the node may take to answer <c>eth_chainId</c>: 60 s.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long compiling the contracts may take: 2 minutes.</summary>
    public TimeSpan CompileTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The Node.js executable: <c>node</c> from PATH.</summary>
    public string NodeExecutable { get; init; } = "node";

    /// <summary>
    /// Stake and register the demo coordinator (2,100,000 CAI) and both demo miners (30,000 CAI each) after
    /// funding, so that a cluster can start at once; true by default.
    /// </summary>
    public bool RegisterDemoAccounts { get; init; } = true;

    /// <summary>
    /// The enrolment URL the demo coordinator registers: the gateway it serves, <c>https://127.0.0.1:8443</c> by default
    /// (<c>cuckoo coordinator set-url</c> changes it on chain later).
    /// </summary>
    public Uri CoordinatorUrl { get; init; } = new("https://127.0.0.1:8443");

    public TokenParameters Token { get; init; } = new();

    /// <summary>The treasury is always the devnet's treasury account.</summary>
    public StakingParameters Staking { get; init; } = new();

    public string ContractsDirectory => Path.Combine(Root, "contracts");

    public string Data => DataDirectory ?? Path.Combine(Root, "data");

    public string DeploymentFile => Path.Combine(Data, "devnet.json");

    public string NodeDirectory => Path.Combine(Data, "devnet");

    public string PidFile => Path.Combine(NodeDirectory, "hardhat.pid");

    public string LogFile => Path.Combine(NodeDirectory, "hardhat.log");

    public Uri RpcUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>
    /// The repository root: <c>CUCKOO_HOME</c> (set by the <c>./cuckoo</c> launcher), else the nearest folder
    /// at or above <paramref name="start"/> that has <c>contracts/package.json</c>.
    /// </summary>
    /// <exception cref="DevnetException">none found.</exception>
    public static string FindRoot(string? start = null)
    {
        var home = Environment.GetEnvironmentVariable("CUCKOO_HOME");
        if (!string.IsNullOrEmpty(home))
        {
            return Path.GetFullPath(home);
        }
        for (var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "contracts", "package.json")))
            {
                return dir.FullName;
            }
        }
        throw new DevnetException("Cannot find the Cuckoo repository (no contracts/package.json here or above); set CUCKOO_HOME or run from the repository.");
    }
}

/// <summary>The devnet could not be started, deployed or stopped; the message says why and what to do.</summary>
public sealed class DevnetException(string message, Exception? inner = null) : Exception(message, inner);
