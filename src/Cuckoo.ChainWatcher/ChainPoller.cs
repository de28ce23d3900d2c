using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.ChainWatcher;

/// <summary>What one poll found; the watcher acts on it in its own thread.</summary>
internal abstract record PollOutcome;

/// <summary>New confirmed blocks were read up to <see cref="ChainCheckpoint.Block"/>.</summary>
internal sealed record PollAdvanced(ChainCheckpoint Checkpoint, IReadOnlyList<IChainEvent> Events, bool CaughtUp) : PollOutcome;

/// <summary>Nothing new is confirmed yet.</summary>
internal sealed record PollIdle(long Head) : PollOutcome;

/// <summary>The checkpoint block is no longer canonical; <see cref="Checkpoint"/> is the fork point to re-read from.</summary>
internal sealed record PollReorganized(ChainCheckpoint Checkpoint, long OrphanedToBlock) : PollOutcome;

internal sealed record PollFailed(Exception Cause) : PollOutcome;

/// <summary>The chain is not what the watcher expects (wrong chain id, or it changed while being read).</summary>
public sealed class ChainWatcherException(string message) : Exception(message);

/// <summary>
/// One poll of the node: reorg check, confirmed range, logs, decoding. The watcher's only use of the chain layer;
/// stateless apart from its client, the actor owns the checkpoint.
/// </summary>
internal sealed class ChainPoller(ChainWatcherSettings settings) : IDisposable
{
    // No client retries: the watcher backs off itself and must notice an outage to mark its view stale.
    private readonly ChainClient _client = new(settings.RpcUrl, new ChainClientOptions { MaxRetries = 0, RequestTimeout = settings.RequestTimeout });
    private bool _chainIdChecked;

    public void Dispose() => _client.Dispose();

    public async Task<PollOutcome> PollAsync(ChainCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        try
        {
            return await PollCoreAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new PollFailed(ex);
        }
    }

    private async Task<PollOutcome> PollCoreAsync(ChainCheckpoint checkpoint, CancellationToken ct)
    {
        if (settings.ChainId is { } expected && !_chainIdChecked)
        {
            var actual = await _client.GetChainIdAsync(ct).ConfigureAwait(false);
            if (actual != expected)
            {
                throw new ChainWatcherException($"the node at {settings.RpcUrl} is on chain {actual}, not {expected}");
            }
            _chainIdChecked = true;
        }

        var head = await _client.GetBlockNumberAsync(ct).ConfigureAwait(false);
        if (checkpoint.Hash is { } hash)
        {
            var current = await _client.GetBlockByNumberAsync(checkpoint.Block, ct).ConfigureAwait(false);
            if (current is null || !SameHash(current.Hash, hash))
            {
                return new PollReorganized(await FindForkAsync(checkpoint, ct).ConfigureAwait(false), checkpoint.Block);
            }
        }

        var safe = head - settings.EffectiveConfirmations;
        if (safe <= checkpoint.Block)
        {
            return new PollIdle(head);
        }
        var from = checkpoint.Block + 1;
        var to = Math.Min(safe, checkpoint.Block + settings.MaxBlockRange);
        var end = await _client.GetBlockByNumberAsync(to, ct).ConfigureAwait(false)
                  ?? throw new ChainWatcherException($"the node reported head {head} but has no block {to}");
        var logs = await _client.GetLogsAsync(new LogFilter { FromBlock = from, ToBlock = to, Addresses = [settings.Staking] }, ct).ConfigureAwait(false);

        var events = new List<IChainEvent>(logs.Count);
        var seen = new List<BlockRef>();
        foreach (var log in logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex))
        {
            // A removed log, or one from another version of the end block, means the chain moved under this read.
            if (log.Removed || log.BlockHash is null || (log.BlockNumber == to && !SameHash(log.BlockHash, end.Hash)))
            {
                throw new ChainWatcherException($"the chain changed while blocks {from}..{to} were read; retrying");
            }
            seen.Add(new BlockRef(log.BlockNumber, log.BlockHash));
            if (ContractEventDecoder.TryDecodeStaking(log, out var decoded) && ChainEventMapper.Map(decoded!, log) is { } mapped)
            {
                events.Add(mapped);
            }
        }
        var next = checkpoint.Advance(new BlockRef(end.Number, end.Hash), seen, settings.ReorgWindow);
        return new PollAdvanced(next, events, CaughtUp: to == safe);
    }

    // Walks the remembered blocks newest first; the newest one still canonical is the fork point.
    private async Task<ChainCheckpoint> FindForkAsync(ChainCheckpoint checkpoint, CancellationToken ct)
    {
        foreach (var known in checkpoint.Recent.Where(b => b.Number < checkpoint.Block).OrderByDescending(b => b.Number))
        {
            var block = await _client.GetBlockByNumberAsync(known.Number, ct).ConfigureAwait(false);
            if (block is not null && SameHash(block.Hash, known.Hash))
            {
                return checkpoint.RewindTo(known);
            }
        }
        return ChainCheckpoint.Initial(settings.StartBlock);
    }

    private static bool SameHash(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
