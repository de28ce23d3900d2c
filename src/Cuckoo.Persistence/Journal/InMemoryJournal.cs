namespace Cuckoo.Persistence;

/// <summary>
/// A journal in process memory, for unit tests of actor logic. It stores serialized bytes and goes through the
/// same batching writer as the SQL journals, so it behaves like them (manifests, conflicts, atomicity) and
/// passes the same conformance suite; nothing survives the process.
/// </summary>
public sealed class InMemoryJournal : BatchingJournal
{
    private readonly object _lock = new();
    private readonly Dictionary<string, SortedDictionary<long, JournalRow>> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _highestDeleted = new(StringComparer.Ordinal);

    public InMemoryJournal(EventRegistry registry, TimeProvider? time = null, int maxBatchEvents = 1000)
        : base(registry, time ?? TimeProvider.System, maxBatchEvents)
    {
    }

    public override Task ReplayAsync(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<PersistentRepr> callback,
        CancellationToken cancellationToken = default)
    {
        ValidateReplay(persistenceId, fromSequenceNr, toSequenceNr, max, callback);
        JournalRow[] rows;
        lock (_lock)
        {
            rows = _events.TryGetValue(persistenceId, out var stored)
                ? stored.Values.Where(r => r.SequenceNr >= fromSequenceNr && r.SequenceNr <= toSequenceNr)
                    .Take((int)Math.Min(max, int.MaxValue)).ToArray()
                : [];
        }

        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            callback(ToRepr(persistenceId, row.SequenceNr, row.Manifest, row.Payload, row.WrittenAtMs));
        }

        return Task.CompletedTask;
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        lock (_lock)
        {
            var stored = _events.TryGetValue(persistenceId, out var rows) && rows.Count > 0 ? rows.Keys.Max() : 0;
            return Task.FromResult(Math.Max(stored, _highestDeleted.GetValueOrDefault(persistenceId)));
        }
    }

    public override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(toSequenceNr);
        lock (_lock)
        {
            if (_events.TryGetValue(persistenceId, out var rows))
            {
                var doomed = rows.Keys.Where(k => k <= toSequenceNr).ToList();
                if (doomed.Count > 0)
                {
                    _highestDeleted[persistenceId] = Math.Max(_highestDeleted.GetValueOrDefault(persistenceId), doomed[^1]);
                }

                foreach (var key in doomed)
                {
                    rows.Remove(key);
                }
            }
        }

        return Task.CompletedTask;
    }

    private protected override Task InitializeAsync() => Task.CompletedTask;

    private protected override Task<Exception?[]> WriteBatchAsync(IReadOnlyList<PendingWrite> batch)
    {
        var results = new Exception?[batch.Count];
        lock (_lock)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var rows = batch[i].Rows;
                var seen = new HashSet<(string, long)>();

                // Like the SQL UNIQUE constraint: a caller's rows go in only if none of their numbers is stored.
                var conflict = rows.Any(r => !seen.Add((r.PersistenceId, r.SequenceNr))
                    || (_events.TryGetValue(r.PersistenceId, out var stored) && stored.ContainsKey(r.SequenceNr)));
                if (conflict)
                {
                    results[i] = batch[i].Conflict(new InvalidOperationException("duplicate (persistence_id, sequence_nr)"));
                    continue;
                }

                foreach (var row in rows)
                {
                    if (!_events.TryGetValue(row.PersistenceId, out var stored))
                    {
                        _events[row.PersistenceId] = stored = new SortedDictionary<long, JournalRow>();
                    }

                    stored[row.SequenceNr] = row;
                }
            }
        }

        return Task.FromResult(results);
    }

    private protected override ValueTask DisposeStorageAsync() => ValueTask.CompletedTask;
}
