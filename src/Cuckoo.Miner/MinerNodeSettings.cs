using Cuckoo.Chain;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;

namespace Cuckoo.Miner;

/// <summary>How one miner node runs; bound once from the command line and the environment (cuckoo miner run).</summary>
public sealed record MinerNodeSettings
{
    /// <summary>The key of the registered miner address: signs enrolments (and, later, results).</summary>
    public required EthKey Key { get; init; }

    public required Uri RpcUrl { get; init; }

    public required Address Staking { get; init; }

    public required long ChainId { get; init; }

    /// <summary>Certificates, one per coordinator cluster; default data/miner-ADDRESS.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The coordinators to serve; their enrolment URLs come from the chain. Empty: every active coordinator on chain.</summary>
    public IReadOnlyList<Address> Coordinators { get; init; } = [];

    /// <summary>Where the chain scan for coordinators starts (the deployment block).</summary>
    public long StartBlock { get; init; }

    /// <summary>Akka.Remote's TLS listener; one port per coordinator served, from <see cref="ClusterPort"/> up.</summary>
    public string ClusterHost { get; init; } = "127.0.0.1";

    public int ClusterPort { get; init; } = 4060;

    /// <summary>The host name coordinators reach this node at, when it differs from <see cref="ClusterHost"/> (NAT).</summary>
    public string? PublicClusterHost { get; init; }

    /// <summary>Models this miner serves (default: every model of the catalog).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>
    /// Tasks this node holds at once (default 2: a session runs one task at a time, and a second one waiting in its
    /// queue keeps it busy while a result travels back and the next assignment comes): advertised at enrolment, and
    /// divided among the coordinators served, by weight, as the credits their dispatchers may fill.
    /// </summary>
    public int Capacity { get; init; } = 2;

    /// <summary>
    /// A fault for testing the trust layer: sign a corrupted copy of every output instead of the real one, as a miner
    /// faking its results would (the hidden <c>--corrupt-outputs</c> switch). Such a miner is jailed and slashed.
    /// </summary>
    public bool CorruptOutputs { get; init; }

    /// <summary>
    /// How often the coordinators' weights and standing are read again to divide <see cref="Capacity"/> among them
    /// (default 30 s: stake moves by transactions, and a share changes at most this late).
    /// </summary>
    public TimeSpan CreditRefresh { get; init; } = TimeSpan.FromSeconds(30);

    public ExecutionProviderKind Provider { get; init; } = ExecutionProviderKind.Cpu;

    /// <summary>How long a miner waits before enrolling again after it was refused for a reason that may pass, or downed (default 2 s, doubling to 30 s).</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>HOCON laid over hocon/ (tests, operators' one-off settings).</summary>
    public string? ExtraHocon { get; init; }

    /// <summary>The catalog file (default: config/models.json as the inference layer finds it).</summary>
    public string? CatalogPath { get; init; }

    public static string SoftwareVersion =>
        typeof(MinerNodeSettings).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
