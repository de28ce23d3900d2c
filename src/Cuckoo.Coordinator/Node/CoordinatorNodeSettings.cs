using System.Net;
using Cuckoo.Chain;

namespace Cuckoo.Coordinator.Node;

/// <summary>How one coordinator node runs; bound once from the command line and the environment (cuckoo coordinator run).</summary>
public sealed record CoordinatorNodeSettings
{
    /// <summary>The key of the registered coordinator address: signs admissions, and the node refuses to start unless it is staked.</summary>
    public required EthKey Key { get; init; }

    public required Uri RpcUrl { get; init; }

    public required Address Staking { get; init; }

    public required long ChainId { get; init; }

    /// <summary>The CAI token, which rewards are paid in; null: asked of the staking contract at start-up.</summary>
    public Address? Token { get; init; }

    /// <summary>Whether two results of a model agree (the catalog's digest or tolerance rule); null: equal digests.</summary>
    public Trust.ResultsAgree? Agree { get; init; }

    /// <summary>Where the chain watcher starts reading when its journal has no checkpoint (the deployment block).</summary>
    public long StartBlock { get; init; }

    /// <summary>Certificate, admin access file; default data/coordinator.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The public enrolment listener (HTTPS); default the host and port of the URL registered on chain.</summary>
    public required IPEndPoint EnrolmentListen { get; init; }

    /// <summary>Akka.Remote's TLS listener; 4053 is Akka's customary cluster port.</summary>
    public string ClusterHost { get; init; } = "127.0.0.1";

    public int ClusterPort { get; init; } = 4053;

    /// <summary>The host name miners and other coordinators reach this node at, when it differs from <see cref="ClusterHost"/> (NAT).</summary>
    public string? PublicClusterHost { get; init; }

    /// <summary>The admin listener: loopback by default, so that the admin API is never on the open internet unless asked.</summary>
    public IPEndPoint AdminListen { get; init; } = new(IPAddress.Loopback, 9443);

    /// <summary>The apps' gateway (plain HTTP); loopback by default. Null: no gateway on this node.</summary>
    public IPEndPoint? GatewayListen { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>The model catalog the gateway checks tasks against (default: config/models.json as the inference layer finds it).</summary>
    public string? CatalogPath { get; init; }

    /// <summary>Akka addresses of the operator's coordinator nodes (this one included or not); empty: this node forms the cluster.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>TLS thumbprints of the operator's other coordinator nodes: always allowed to associate.</summary>
    public IReadOnlyList<string> PeerThumbprints { get; init; } = [];

    /// <summary>The actor system's name, the same on every member of the cluster.</summary>
    public string SystemName { get; init; } = "cuckoo";

    /// <summary>HOCON laid over hocon/ (tests, operators' one-off settings).</summary>
    public string? ExtraHocon { get; init; }

    public string CertificatePath => Path.Combine(DataDirectory, "node.pfx");

    public string AdminAccessPath => Path.Combine(DataDirectory, "admin.json");

    /// <summary>The apps' API keys, stored hashed (<c>cuckoo apikey new</c> adds one); read again when it changes.</summary>
    public string ApiKeysPath => Path.Combine(DataDirectory, "api-keys.json");

    public string SelfAkkaAddress => $"akka.ssl.tcp://{SystemName}@{PublicClusterHost ?? ClusterHost}:{ClusterPort}";
}
