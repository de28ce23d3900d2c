namespace Cuckoo.Persistence;

/// <summary>One journaled event of one persistent actor.</summary>
/// <param name="PersistenceId">The actor's stable identity.</param>
/// <param name="SequenceNr">1-based, gap-free position in that actor's journal.</param>
/// <param name="Payload">The event.</param>
/// <param name="Manifest">The stored manifest; filled in on replay, ignored on write.</param>
/// <param name="Timestamp">When the journal wrote it; filled in on replay, ignored on write.</param>
public sealed record PersistentRepr(
    string PersistenceId,
    long SequenceNr,
    object Payload,
    string Manifest = "",
    DateTimeOffset Timestamp = default);

/// <summary>
/// Events of one persistence id with consecutive sequence numbers that are stored all or none
/// (one Persist or PersistAll call).
/// </summary>
public sealed record AtomicWrite
{
    public AtomicWrite(PersistentRepr single)
        : this([single])
    {
    }

    /// <exception cref="ArgumentException">Empty, mixed persistence ids, or sequence numbers that are not consecutive from 1 up.</exception>
    public AtomicWrite(IReadOnlyList<PersistentRepr> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("An atomic write needs at least one event.", nameof(events));
        }

        var first = events[0];
        if (string.IsNullOrEmpty(first.PersistenceId))
        {
            throw new ArgumentException("An event needs a non-empty persistence id.", nameof(events));
        }

        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Payload is null)
            {
                throw new ArgumentException($"Event {e.SequenceNr} of '{e.PersistenceId}' has no payload.", nameof(events));
            }

            if (e.PersistenceId != first.PersistenceId)
            {
                throw new ArgumentException(
                    $"An atomic write holds events of one persistence id; found '{first.PersistenceId}' and '{e.PersistenceId}'.",
                    nameof(events));
            }

            if (e.SequenceNr != first.SequenceNr + i || e.SequenceNr < 1)
            {
                throw new ArgumentException(
                    $"Sequence numbers in an atomic write must be consecutive and at least 1; got {string.Join(",", events.Select(x => x.SequenceNr))}.",
                    nameof(events));
            }
        }

        Events = events;
    }

    public IReadOnlyList<PersistentRepr> Events { get; }

    public string PersistenceId => Events[0].PersistenceId;

    public long LowestSequenceNr => Events[0].SequenceNr;

    public long HighestSequenceNr => Events[^1].SequenceNr;
}
