namespace Cuckoo.ChainWatcher;

/// <summary>A block the watcher has read, by number and hash.</summary>
public sealed record BlockRef(long Number, string Hash);

/// <summary>
/// The watcher's durable state, journaled after each poll that advanced (or rewound) it and stored as the snapshot:
/// the last block whose events were delivered, and the hashes of recent blocks to find a fork point after a reorg.
/// </summary>
/// <param name="Block">The last processed block number (start block minus one on a fresh journal).</param>
/// <param name="Hash">Its hash; null when <paramref name="Block"/> was never read (a fresh journal, or a rewind past the window).</param>
/// <param name="Recent">Recent processed blocks, oldest first, at most the reorg window.</param>
[Cuckoo.Persistence.EventManifest("chain-watcher.checkpoint.v1")]
public sealed record ChainCheckpoint(long Block, string? Hash, IReadOnlyList<BlockRef> Recent) : Cuckoo.Persistence.IPersistedEvent
{
    public static ChainCheckpoint Initial(long startBlock) => new(startBlock - 1, null, []);

    /// <summary>This checkpoint moved to <paramref name="head"/>, remembering <paramref name="seen"/> blocks, trimmed to <paramref name="window"/>.</summary>
    public ChainCheckpoint Advance(BlockRef head, IEnumerable<BlockRef> seen, int window)
    {
        var added = seen.Append(head).Where(b => b.Number > Block && b.Number <= head.Number).DistinctBy(b => b.Number);
        var recent = Recent.Concat(added).OrderBy(b => b.Number).ToList();
        return new ChainCheckpoint(head.Number, head.Hash, recent.Skip(Math.Max(0, recent.Count - window)).ToList());
    }

    /// <summary>This checkpoint rewound to <paramref name="fork"/> (still on the canonical chain), forgetting later blocks.</summary>
    public ChainCheckpoint RewindTo(BlockRef fork) => new(fork.Number, fork.Hash, Recent.Where(b => b.Number <= fork.Number).ToList());
}
