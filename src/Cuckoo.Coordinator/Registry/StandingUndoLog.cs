namespace Cuckoo.Coordinator.Registry;

/// <summary>
/// The changes that undo the standing updates of recent blocks, newest last, so that a <c>ChainReorganized</c> can
/// take back what orphaned blocks did. Blocks more than <c>window</c> behind the newest are forgotten: the watcher
/// finds no fork point deeper than its own window (then it re-reads from its start block, and the replayed
/// absolute updates overwrite what they cover).
/// </summary>
internal sealed class StandingUndoLog(long window)
{
    private readonly LinkedList<(long Block, UpdateStanding Undo)> _entries = new();

    public int Count => _entries.Count;

    public void Record(long block, UpdateStanding undo)
    {
        _entries.AddLast((block, undo));
        while (_entries.First is { } first && first.Value.Block <= block - window)
        {
            _entries.RemoveFirst();
        }
    }

    /// <summary>Removes and returns, newest first, the undos of blocks after <paramref name="forkBlock"/>.</summary>
    public List<UpdateStanding> TakeAfter(long forkBlock)
    {
        var undos = new List<UpdateStanding>();
        while (_entries.Last is { } last && last.Value.Block > forkBlock)
        {
            undos.Add(last.Value.Undo);
            _entries.RemoveLast();
        }
        return undos;
    }
}
