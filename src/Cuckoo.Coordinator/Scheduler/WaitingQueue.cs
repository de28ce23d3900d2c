namespace Cuckoo.Coordinator.Scheduler;

/// <summary>
/// The tasks the registry found no miner for, oldest accepted first, per model: freed credits go to them in that order.
/// A scan of the live tasks gave them in the dictionary's slot order instead, where a new task takes the slot of a
/// finished one, so under load the tasks that waited longest were woken last (measured: the first tasks of a round of
/// 200 started after the other 199). Taking the oldest is O(log n) rather than a scan of every live task.
/// </summary>
internal sealed class WaitingQueue
{
    private static readonly Comparer<LiveTask> Oldest = Comparer<LiveTask>.Create((a, b) =>
        a.Accepted.At != b.Accepted.At ? a.Accepted.At.CompareTo(b.Accepted.At) : a.Order.CompareTo(b.Order));

    private readonly Dictionary<string, SortedSet<LiveTask>> _byModel = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public void Add(LiveTask task)
    {
        if (task.Waiting)
        {
            return;
        }
        var model = task.Accepted.Model;
        if (!_byModel.TryGetValue(model, out var set))
        {
            _byModel[model] = set = new SortedSet<LiveTask>(Oldest);
        }
        set.Add(task);
        task.Waiting = true;
        Count++;
    }

    public void Remove(LiveTask task)
    {
        if (task.Waiting && _byModel.TryGetValue(task.Accepted.Model, out var set) && set.Remove(task))
        {
            task.Waiting = false;
            Count--;
        }
    }

    /// <summary>Removes and returns the oldest waiting task of any of <paramref name="models"/>; null when none waits.</summary>
    public LiveTask? TakeOldest(IEnumerable<string> models)
    {
        LiveTask? oldest = null;
        foreach (var model in models)
        {
            if (_byModel.TryGetValue(model, out var set) && set.Count > 0 && (oldest is null || Oldest.Compare(set.Min!, oldest) < 0))
            {
                oldest = set.Min;
            }
        }
        if (oldest is not null)
        {
            Remove(oldest);
        }
        return oldest;
    }
}
