namespace Cuckoo.Coordinator.Scheduler;

/// <summary>
/// The last finished tasks, least recently finished evicted first: bounded memory for <see cref="GetTask"/> and for
/// recognising a resubmitted id. Older outcomes are the gateway's to keep (it was told each one).
/// </summary>
internal sealed class RecentOutcomes(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<TaskOutcome>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<TaskOutcome> _order = new();

    public int Count => _index.Count;

    public TaskOutcome? Find(string taskId) => _index.TryGetValue(taskId, out var node) ? node.Value : null;

    public void Add(TaskOutcome outcome)
    {
        if (capacity == 0)
        {
            return;
        }
        if (_index.Remove(outcome.TaskId, out var old))
        {
            _order.Remove(old);
        }
        _index[outcome.TaskId] = _order.AddLast(outcome);
        while (_index.Count > capacity)
        {
            _index.Remove(_order.First!.Value.TaskId);
            _order.RemoveFirst();
        }
    }

    /// <summary>Oldest first, so that adding them back in order restores the same eviction order.</summary>
    public IReadOnlyList<TaskOutcome> ToList() => [.. _order];
}
