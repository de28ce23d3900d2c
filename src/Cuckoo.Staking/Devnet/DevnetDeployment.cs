using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cuckoo.Staking.Devnet;

/// <summary>The deployment file <c>data/devnet.json</c>: what other commands need to talk to the devnet.</summary>
public sealed record DevnetDeployment
{
    public long ChainId { get; init; }

    public string RpcUrl { get; init; } = "";

    public int Port { get; init; }

    /// <summary>Process id of the Hardhat node.</summary>
    public int NodePid { get; init; }

    /// <summary>The first block that can hold the contracts' events: where a chain watcher starts.</summary>
    public long DeployBlock { get; init; }

    public string CaiToken { get; init; } = "";

    public string CuckooStaking { get; init; } = "";

    public string Deployer { get; init; } = "";

    public string Treasury { get; init; } = "";

    public DateTimeOffset DeployedAt { get; init; }

    /// <summary>Constructor parameters, amounts in CAI and durations in seconds.</summary>
    public Dictionary<string, string> Parameters { get; init; } = [];

    public IReadOnlyList<DevnetAccount> Accounts { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <exception cref="DevnetException">missing or unreadable.</exception>
    public static DevnetDeployment Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<DevnetDeployment>(File.ReadAllText(path), Json)
                   ?? throw new DevnetException($"{path} is empty.");
        }
        catch (FileNotFoundException ex)
        {
            throw new DevnetException($"{path} does not exist: start the devnet with `cuckoo devnet up`.", ex);
        }
        catch (JsonException ex)
        {
            throw new DevnetException($"{path} is not a devnet deployment file: {ex.Message}", ex);
        }
    }

    /// <summary>Writes to a temporary file and renames it, so that readers never see half a file.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>A development account of the devnet, with its (publicly known) key, CAI balance and self-stake after deployment.</summary>
public sealed record DevnetAccount(string Role, string Address, string PrivateKey, string CaiBalance, string Staked);
