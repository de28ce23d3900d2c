using Akka.Actor;
using Akka.Persistence;
using Cuckoo.Persistence;

namespace Cuckoo.Coordinator.Scheduler;

// Writing: a command's events are applied at once and queued; one write at a time journals everything queued, packed into
// rows, and only then are the effects that rest on them (replies, picks, dispatches) sent.
public sealed partial class Scheduler
{
    /// <summary>Input and output bytes one <see cref="SchedulerSteps"/> row holds at most (a single larger step still goes alone), so rows stay small enough to read back in bulk.</summary>
    private const int MaxPayloadPerEvent = 1 << 20;

    /// <summary>Applies an event now and queues it for the next journal write.</summary>
    private LiveTask? Emit(IPersistedEvent e)
    {
        _pending.Add(e);
        if (!_flushQueued)
        {
            _flushQueued = true;
            Self.Tell(Flush.Instance);
        }
        var task = _book.Apply(e);
        if (task is not null)
        {
            task.Version++;
            if (task.Waiting && _book.Find(task.Id) != task)
            {
                _waiting.Remove(task);
            }
        }
        PublishDepth();
        return task;
    }

    /// <summary>Sends <paramref name="message"/> once every event emitted so far is durable.</summary>
    private void After(IActorRef to, object message)
    {
        if (_pending.Count > 0)
        {
            _effects.Add((to, message));
        }
        else if (_writing is not null)
        {
            // No event of its own, but what it tells may rest on the write in flight (a status, a duplicate's reply).
            _writing.Add((to, message));
        }
        else
        {
            to.Tell(message, Self);
        }
    }

    private void Reply(IActorRef to, object message) => After(to, message);

    private void OnFlush()
    {
        _flushQueued = false;
        Write();
    }

    /// <summary>
    /// Journals the pending steps unless a write is in flight (its completion calls this again). The actor goes on
    /// handling commands meanwhile (PersistAllAsync), their steps applied at once and journaled by the next write.
    /// </summary>
    private void Write()
    {
        if (_writing is not null || _pending.Count == 0)
        {
            return;
        }
        var steps = _pending.Count;
        var events = Pack(_pending);
        _writing = _effects;
        _pending = [];
        _effects = [];
        _sinceSnapshot += steps;
        // Taken now, when the state is exactly what the journal holds once this write is in, and saved when it is (under
        // its last sequence number): commands handled meanwhile change the state before then. Not before as many steps
        // as there are live tasks either: a snapshot's cost grows with them, and one costing more than the replay it
        // saves only slows the scheduler down while the queue is long.
        SchedulerSnapshotV2? snapshot = null;
        if (_sinceSnapshot >= _settings.SnapshotEvery && _sinceSnapshot >= _book.LiveCount)
        {
            _sinceSnapshot = 0;
            snapshot = _book.ToSnapshot();
        }
        var left = events.Count;
        PersistAllAsync(events, _ =>
        {
            if (--left > 0)
            {
                return;
            }
            var effects = _writing!;
            _writing = null;
            foreach (var (to, message) in effects)
            {
                to.Tell(message, Self);
            }
            if (snapshot is not null)
            {
                SaveSnapshot(snapshot);
            }
            Write();
        });
    }

    /// <summary>
    /// The journal rows for <paramref name="pending"/>: a lone step as its own event, as before batching; otherwise
    /// <see cref="SchedulerSteps"/> of at most <see cref="SchedulerSettings.StepsPerEvent"/> steps and about
    /// <see cref="MaxPayloadPerEvent"/> bytes of inputs and outputs each.
    /// </summary>
    private List<IPersistedEvent> Pack(List<IPersistedEvent> pending)
    {
        var most = _settings.StepsPerEvent;
        if (pending.Count == 1 || most == 1)
        {
            return pending;
        }
        var events = new List<IPersistedEvent>(pending.Count / most + 1);
        var batch = new List<SchedulerStep>(Math.Min(most, pending.Count));
        var bytes = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var e = pending[i];
            var size = e switch
            {
                TaskAcceptedEvent accepted => accepted.Input.Length,
                TaskCompleted completed => completed.Output.Length,
                _ => 0,
            };
            if (batch.Count == most || (batch.Count > 0 && bytes + size > MaxPayloadPerEvent))
            {
                events.Add(new SchedulerSteps(batch));
                batch = new List<SchedulerStep>(Math.Min(most, pending.Count - i));
                bytes = 0;
            }
            batch.Add(SchedulerStep.Of(e));
            bytes += size;
        }
        events.Add(new SchedulerSteps(batch));
        return events;
    }
}
