using Xunit;

namespace Cuckoo.Persistence.Tests.Conformance;

/// <summary>
/// What every <see cref="IJournal"/> must do; one concrete subclass per implementation runs it.
/// Each test uses fresh persistence ids, so implementations may share a database across tests.
/// </summary>
public abstract class JournalSpec : IAsyncLifetime
{
    private IJournal? _journal;

    protected EventRegistry Registry { get; } = new();

    protected IJournal Journal => _journal ?? throw new InvalidOperationException("not initialized");

    protected abstract Task<IJournal> CreateJournalAsync(EventRegistry registry);

    public virtual async Task InitializeAsync() => _journal = await CreateJournalAsync(Registry);

    public virtual async Task DisposeAsync()
    {
        if (_journal is not null)
        {
            await _journal.DisposeAsync();
        }
    }

    [Fact]
    public async Task Journal_replays_events_in_sequence_order()
    {
        var pid = NewPid();
        for (var i = 1; i <= 5; i++)
        {
            await WriteAsync(pid, i);
        }

        var replayed = await ReplayAsync(pid);

        Assert.Equal([1L, 2, 3, 4, 5], replayed.Select(r => r.SequenceNr));
        Assert.Equal([1L, 2, 3, 4, 5], replayed.Select(r => ((Counted)r.Payload).Value));
        Assert.All(replayed, r =>
        {
            Assert.Equal(pid, r.PersistenceId);
            Assert.Equal("test.counted.v1", r.Manifest);
            Assert.NotEqual(default, r.Timestamp);
        });
    }

    [Fact]
    public async Task Journal_replays_only_the_requested_range()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 2, 3, 4, 5);

        Assert.Equal([2L, 3, 4], (await ReplayAsync(pid, 2, 4)).Select(r => r.SequenceNr));
        Assert.Equal([5L], (await ReplayAsync(pid, 5, long.MaxValue)).Select(r => r.SequenceNr));
        Assert.Empty(await ReplayAsync(pid, 6, 10));
        Assert.Empty(await ReplayAsync(pid, 4, 3));
    }

    [Fact]
    public async Task Journal_replay_returns_at_most_max_events()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 2, 3, 4, 5);

        Assert.Equal([1L, 2], (await ReplayAsync(pid, max: 2)).Select(r => r.SequenceNr));
        Assert.Equal([3L], (await ReplayAsync(pid, 3, max: 1)).Select(r => r.SequenceNr));
        Assert.Empty(await ReplayAsync(pid, max: 0));
    }

    [Fact]
    public async Task Journal_reports_zero_as_highest_sequence_nr_of_an_unknown_id()
    {
        Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync(NewPid()));
        Assert.Empty(await ReplayAsync(NewPid()));
    }

    [Fact]
    public async Task Journal_keeps_the_highest_sequence_nr_after_deleting_events()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 2, 3, 4, 5);

        await Journal.DeleteMessagesToAsync(pid, 3);
        Assert.Equal([4L, 5], (await ReplayAsync(pid)).Select(r => r.SequenceNr));
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync(pid));

        await Journal.DeleteMessagesToAsync(pid, 100);
        Assert.Empty(await ReplayAsync(pid));
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync(pid));

        // Deleting less than before must not lower the remembered number.
        await Journal.DeleteMessagesToAsync(pid, 2);
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync(pid));
    }

    [Fact]
    public async Task Journal_delete_touches_only_its_own_persistence_id()
    {
        var (a, b) = (NewPid(), NewPid());
        await WriteAsync(a, 1, 2);
        await WriteAsync(b, 1, 2);

        await Journal.DeleteMessagesToAsync(a, 2);

        Assert.Empty(await ReplayAsync(a));
        Assert.Equal([1L, 2], (await ReplayAsync(b)).Select(r => r.SequenceNr));
    }

    [Fact]
    public async Task Journal_rejects_a_duplicate_sequence_nr_with_a_conflict()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 2, 3);

        var conflict = await Assert.ThrowsAsync<JournalConflictException>(
            () => Journal.WriteAsync([new AtomicWrite(new PersistentRepr(pid, 3, new Counted("intruder", 3)))]));

        Assert.Equal(pid, conflict.PersistenceId);
        Assert.Equal(3, conflict.FromSequenceNr);
        var stored = await ReplayAsync(pid);
        Assert.Equal(3, stored.Count);
        Assert.Equal("w", ((Counted)stored[2].Payload).Writer);
    }

    [Fact]
    public async Task Journal_rolls_back_a_whole_atomic_write_when_one_event_conflicts()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 2, 3);

        await Assert.ThrowsAsync<JournalConflictException>(() => Journal.WriteAsync([Atomic(pid, "late", 3, 4, 5)]));

        Assert.Equal(3, await Journal.ReadHighestSequenceNrAsync(pid));
        Assert.DoesNotContain(await ReplayAsync(pid), r => ((Counted)r.Payload).Writer == "late");
    }

    [Fact]
    public async Task Journal_commits_all_writes_of_one_call_or_none()
    {
        var (a, b) = (NewPid(), NewPid());
        await WriteAsync(b, 1);

        await Assert.ThrowsAsync<JournalConflictException>(
            () => Journal.WriteAsync([Atomic(a, "pair", 1, 2), Atomic(b, "pair", 1)]));

        Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync(a));
        Assert.Equal(1, await Journal.ReadHighestSequenceNrAsync(b));
    }

    [Fact]
    public async Task Journal_isolates_a_conflicting_call_from_others_in_the_same_batch()
    {
        var taken = NewPid();
        await WriteAsync(taken, 1);
        var others = Enumerable.Range(0, 20).Select(_ => NewPid()).ToList();

        // Submitted together so that the writer loop usually batches them into one transaction.
        var good = others.Select(pid => Journal.WriteAsync([Atomic(pid, "good", 1, 2)])).ToList();
        var bad = Journal.WriteAsync([Atomic(taken, "bad", 1)]);
        var moreGood = others.Select(pid => Journal.WriteAsync([Atomic(pid, "good", 3)])).ToList();

        await Assert.ThrowsAsync<JournalConflictException>(() => bad);
        await Task.WhenAll(good.Concat(moreGood));
        foreach (var pid in others)
        {
            Assert.Equal([1L, 2, 3], (await ReplayAsync(pid)).Select(r => r.SequenceNr));
        }
    }

    [Fact]
    public async Task Journal_lets_exactly_one_of_two_concurrent_writers_win_each_sequence_nr()
    {
        var pid = NewPid();
        const int pairs = 40;

        async Task<int> Writer(string name)
        {
            var won = 0;
            for (var i = 0; i < pairs; i++)
            {
                try
                {
                    await Journal.WriteAsync([Atomic(pid, name, (2 * i) + 1, (2 * i) + 2)]);
                    won++;
                }
                catch (JournalConflictException)
                {
                }
            }

            return won;
        }

        var wins = await Task.WhenAll(Task.Run(() => Writer("a")), Task.Run(() => Writer("b")));

        Assert.Equal(pairs, wins.Sum());
        var stored = await ReplayAsync(pid);
        Assert.Equal(Enumerable.Range(1, 2 * pairs).Select(i => (long)i), stored.Select(r => r.SequenceNr));
        for (var i = 0; i < stored.Count; i += 2)
        {
            // Both events of an atomic pair come from the same writer: writes never interleave.
            Assert.Equal(((Counted)stored[i].Payload).Writer, ((Counted)stored[i + 1].Payload).Writer);
        }
    }

    [Fact]
    public async Task Journal_batches_writes_of_many_actors_into_shared_transactions()
    {
        var batching = Assert.IsAssignableFrom<BatchingJournal>(Journal);
        var pids = Enumerable.Range(0, 300).Select(_ => NewPid()).ToList();
        var batchesBefore = batching.BatchesCommitted;
        var writesBefore = batching.WritesCommitted;

        await Task.WhenAll(pids.Select(pid => Journal.WriteAsync([Atomic(pid, "many", 1)])));

        Assert.Equal(pids.Count, batching.WritesCommitted - writesBefore);
        Assert.True(batching.BatchesCommitted - batchesBefore < pids.Count,
            $"{pids.Count} writes took {batching.BatchesCommitted - batchesBefore} transactions");
        foreach (var pid in pids.Take(10))
        {
            Assert.Equal(1, await Journal.ReadHighestSequenceNrAsync(pid));
        }
    }

    [Fact]
    public async Task Journal_stores_nothing_of_a_call_with_an_event_that_has_no_manifest()
    {
        var pid = NewPid();

        var error = await Assert.ThrowsAsync<PersistenceSerializationException>(() => Journal.WriteAsync(
            [new AtomicWrite([new PersistentRepr(pid, 1, new Counted("x", 1)), new PersistentRepr(pid, 2, new NoManifestEvent(2))])]));

        Assert.Contains(nameof(NoManifestEvent), error.Message);
        Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync(pid));
    }

    [Fact]
    public void Atomic_write_rejects_gaps_mixed_ids_and_empty_event_lists()
    {
        Assert.Throws<ArgumentException>(() => new AtomicWrite([]));
        Assert.Throws<ArgumentException>(() => new AtomicWrite([new("p", 1, 1), new("p", 3, 3)]));
        Assert.Throws<ArgumentException>(() => new AtomicWrite([new("p", 1, 1), new("q", 2, 2)]));
        Assert.Throws<ArgumentException>(() => new AtomicWrite(new PersistentRepr("p", 0, 1)));
        Assert.Throws<ArgumentException>(() => new AtomicWrite(new PersistentRepr("", 1, 1)));
    }

    [Fact]
    public async Task Journal_rejects_writes_after_dispose()
    {
        await Journal.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Journal.WriteAsync([Atomic(NewPid(), "late", 1)]));
    }

    [Fact]
    public async Task Journal_commits_writes_accepted_before_dispose()
    {
        var pids = Enumerable.Range(0, 50).Select(_ => NewPid()).ToList();
        var writes = pids.Select(pid => Journal.WriteAsync([Atomic(pid, "before-dispose", 1)])).ToList();

        await Journal.DisposeAsync();
        await Task.WhenAll(writes);

        await using var reopened = await ReopenAsync();
        if (reopened is not null)
        {
            foreach (var pid in pids)
            {
                Assert.Equal(1, await reopened.ReadHighestSequenceNrAsync(pid));
            }
        }
    }

    /// <summary>A second journal over the same storage, or null where storage does not outlive the journal (memory).</summary>
    protected abstract Task<IJournal?> ReopenAsync();

    protected static string NewPid() => "pid-" + Guid.NewGuid().ToString("N");

    protected static AtomicWrite Atomic(string pid, string writer, params long[] sequenceNrs) =>
        new(sequenceNrs.Select(n => new PersistentRepr(pid, n, new Counted(writer, n))).ToList());

    protected async Task WriteAsync(string pid, params long[] sequenceNrs)
    {
        await Journal.WriteAsync([Atomic(pid, "w", sequenceNrs)]);
    }

    protected async Task<List<PersistentRepr>> ReplayAsync(string pid, long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        var replayed = new List<PersistentRepr>();
        await Journal.ReplayAsync(pid, from, to, max, replayed.Add);
        return replayed;
    }
}
