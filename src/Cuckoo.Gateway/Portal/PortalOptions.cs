using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Gateway.Portal;

/// <summary>Jailed miners and why, as the trust layer knows them.</summary>
public delegate Task<IReadOnlyDictionary<Address, string>> JailSource(CancellationToken cancellationToken);

/// <summary>How the portal on the gateway listener serves its page and its data.</summary>
public sealed record PortalOptions
{
    /// <summary>
    /// The built page (portal/dist: index.html, portal.js, portal.css). Null: CUCKOO_PORTAL_DIR, else portal/dist in the
    /// first folder above the executable that has one (a checkout's build output), else a portal folder beside it.
    /// </summary>
    public string? StaticRoot { get; init; }

    /// <summary>Miner to jail reason (default: nobody jailed); the lead wires the trust keeper's book here.</summary>
    public JailSource Jailed { get; init; } = _ => Task.FromResult<IReadOnlyDictionary<Address, string>>(new Dictionary<Address, string>());

    /// <summary>How long a network answer is reused (default 1 s): every open page polls it, the chain answers once.</summary>
    public TimeSpan NetworkCacheFor { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Finished tasks kept for the work view's list (default 50).</summary>
    public int RecentTasks { get; init; } = 50;

    /// <summary>Generated images kept for the gallery (default 12: one screenful, a few hundred KiB at most).</summary>
    public int GalleryImages { get; init; } = 12;

    /// <summary>Completed tasks whose latency the percentiles are computed over (default 500).</summary>
    public int LatencyWindow { get; init; } = 500;

    /// <summary>Assignments per miner are counted over this many last assignments (default 1,000), so that the share follows today's weights.</summary>
    public int AssignmentWindow { get; init; } = 1_000;

    /// <summary>How often the work watcher asks the scheduler again to be watched (default 5 s): after a scheduler restart it has no watchers.</summary>
    public TimeSpan RewatchEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest JSON-RPC body the chain relay forwards (default 64 KiB: a signed transaction with room to spare).</summary>
    public int MaxRpcBodyBytes { get; init; } = 64 << 10;

    /// <summary>Calls in one JSON-RPC batch the relay forwards (default 20).</summary>
    public int MaxRpcBatch { get; init; } = 20;

    /// <summary>A comment line on idle work streams (default 15 s), so that proxies do not close them.</summary>
    public TimeSpan StreamHeartbeat { get; init; } = TimeSpan.FromSeconds(15);
}
