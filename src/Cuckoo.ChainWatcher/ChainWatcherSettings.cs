using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;

namespace Cuckoo.ChainWatcher;

/// <summary>What the chain watcher watches and how patiently.</summary>
public sealed record ChainWatcherSettings
{
    /// <summary>The node's JSON-RPC endpoint.</summary>
    public required Uri RpcUrl { get; init; }

    /// <summary>The CuckooStaking contract.</summary>
    public required Address Staking { get; init; }

    /// <summary>The first block to read on a fresh journal (the deployment block); later starts resume from the checkpoint.</summary>
    public long StartBlock { get; init; }

    /// <summary>
    /// Blocks on top of a block before its events are delivered (0 = deliver at the head; reorgs are still detected).
    /// Null (the default): <see cref="DefaultConfirmations"/> for <see cref="ChainId"/>, i.e. 0 on an automining devnet, else 2.
    /// </summary>
    public int? Confirmations { get; init; }

    /// <summary>The confirmations this watcher waits for: <see cref="Confirmations"/>, else the default for <see cref="ChainId"/>.</summary>
    public int EffectiveConfirmations => Confirmations ?? DefaultConfirmations(ChainId);

    /// <summary>
    /// Chain ids of local development chains that mine a block only when a transaction arrives (Hardhat's 31337,
    /// and 1337 of Ganache and geth --dev): nothing is ever mined on top of the newest block there, so waiting for
    /// confirmations would hold back the newest events until the next transaction.
    /// </summary>
    public static IReadOnlySet<long> AutominingDevnetChainIds { get; } = new HashSet<long> { DevAccounts.HardhatChainId, 1_337 };

    /// <summary>0 on an automining devnet (<see cref="AutominingDevnetChainIds"/>), else 2 (also when the chain id is unknown).</summary>
    public static int DefaultConfirmations(long? chainId) => chainId is { } id && AutominingDevnetChainIds.Contains(id) ? 0 : 2;

    /// <summary>Time between polls while the node answers: 2 s (about one block on most chains).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most blocks one <c>eth_getLogs</c> covers, so that catching up never asks for more than nodes allow: 2,000.</summary>
    public int MaxBlockRange { get; init; } = 2_000;

    /// <summary>First retry delay after a failed poll: 0.5 s, doubling per failure.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest retry delay while the node is down: 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Without a successful poll for this long the view is published as stale: 30 s.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many recent block hashes the checkpoint keeps to find a fork point: 128 (reorgs deeper than that restart from the start block).</summary>
    public int ReorgWindow { get; init; } = 128;

    /// <summary>Per-request timeout; the watcher retries itself, so the client does not: 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Expected chain id; a node on another chain is treated as down (never read). Null: any.</summary>
    public long? ChainId { get; init; }

    /// <summary>The journal identity; one per watched contract: "chain-watcher".</summary>
    public string PersistenceId { get; init; } = "chain-watcher";

    /// <summary>Checkpoints between snapshots (older checkpoints are then deleted): 200.</summary>
    public int SnapshotEvery { get; init; } = 200;

    /// <exception cref="ArgumentException">a value out of range.</exception>
    public void Validate()
    {
        if (StartBlock < 0 || Confirmations is < 0 || MaxBlockRange < 1 || ReorgWindow < 1 || SnapshotEvery < 1)
        {
            throw new ArgumentException("StartBlock and Confirmations must be ≥ 0; MaxBlockRange, ReorgWindow and SnapshotEvery ≥ 1.");
        }
        if (PollInterval <= TimeSpan.Zero || MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff || StaleAfter <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Intervals must be positive and MaxBackoff ≥ MinBackoff.");
        }
        if (string.IsNullOrWhiteSpace(PersistenceId))
        {
            throw new ArgumentException("PersistenceId is required.");
        }
    }
}
