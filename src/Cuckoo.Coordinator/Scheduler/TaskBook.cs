using Cuckoo.Persistence;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Scheduler;

/// <summary>
/// The scheduler's durable state, changed only by <see cref="Apply"/> of its events (in recovery and when they are
/// emitted alike): live tasks, their count per app, the tasks each miner holds, and the recent outcomes.
/// </summary>
internal sealed class TaskBook(int recentCapacity)
{
    private readonly Dictionary<string, LiveTask> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perApp = new(StringComparer.Ordinal);
    private readonly Dictionary<Address, HashSet<string>> _byMiner = [];
    private RecentOutcomes _recent = new(recentCapacity);
    private long _order;

    public int LiveCount => _live.Count;

    /// <summary>Live tasks with at least one attempt running now; the rest of <see cref="LiveCount"/> are queued.</summary>
    public int AssignedCount { get; private set; }

    /// <summary>In no particular order: a dictionary's, whose freed slots are filled by newer tasks.</summary>
    public IEnumerable<LiveTask> Live => _live.Values;

    public LiveTask? Find(string taskId) => _live.GetValueOrDefault(taskId);

    public TaskOutcome? FindOutcome(string taskId) => _recent.Find(taskId);

    public int CountFor(string appId) => _perApp.GetValueOrDefault(appId);

    public IEnumerable<TaskOutcome> RecentOutcomes => _recent.ToList();

    /// <summary>Ids of the tasks assigned to <paramref name="miner"/> now, copied (callers change the book while iterating).</summary>
    public IReadOnlyList<string> TasksOf(Address miner) => _byMiner.TryGetValue(miner, out var ids) ? [.. ids] : [];

    /// <summary>
    /// Applies an event; returns the task it concerns (already removed from the live state if it finished), or null if
    /// unknown or a <see cref="SchedulerSteps"/> batch (applied step by step).
    /// </summary>
    public LiveTask? Apply(IPersistedEvent e)
    {
        switch (e)
        {
            case SchedulerSteps batch:
                foreach (var step in batch.Steps)
                {
                    Apply(step.Event);
                }
                return null;
            case TaskAcceptedEvent accepted:
            {
                var task = new LiveTask(accepted) { Order = ++_order };
                _live.Add(task.Id, task);
                _perApp[accepted.AppId] = CountFor(accepted.AppId) + 1;
                return task;
            }
            case TaskAssigned assigned when Find(assigned.TaskId) is { } task:
                // Journals before runs were several hold a reassignment before every new assignment, so adding is right for both.
                task.Attempt = Math.Max(task.Attempt, assigned.Attempt);
                AddRun(task, new Run(assigned.Attempt, assigned.Miner));
                task.AddTried(assigned.Miner);
                return task;
            case TaskReassigned reassigned when Find(reassigned.TaskId) is { } task:
                if (task.FindRun(reassigned.Attempt) is { } gone)
                {
                    RemoveRun(task, gone);
                }
                task.QueuedSince = reassigned.At;
                return task;
            case TaskResultRecorded recorded when Find(recorded.TaskId) is { } task:
                if (task.FindRun(recorded.Attempt) is { } done)
                {
                    RemoveRun(task, done);
                }
                task.AddResult(new TaskResult(recorded.Miner, recorded.Attempt, recorded.OutputDigest, recorded.Output, recorded.Signature));
                return task;
            case TaskCompleted completed when Find(completed.TaskId) is { } task:
                var result = new TaskResult(completed.Miner, completed.Attempt, completed.OutputDigest, completed.Output, completed.Signature);
                Finish(task, new TaskOutcome(
                    task.Id, task.Accepted.AppId, result, null, task.Accepted.Model, InputDigestOf(task), completed.Runs, completed.Audited));
                return task;
            case TaskFailed failed when Find(failed.TaskId) is { } task:
                Finish(task, new TaskOutcome(task.Id, task.Accepted.AppId, null, failed.Reason));
                return task;
            default:
                return null;
        }
    }

    public SchedulerSnapshotV2 ToSnapshot() => new([.. _live.Values.Select(t => t.ToState())], _recent.ToList());

    /// <summary>Replaces the state with a snapshot's, either version; false for anything else.</summary>
    public bool Restore(object snapshot)
    {
        switch (snapshot)
        {
            case SchedulerSnapshotV2 v2:
                Restore(v2.Live.Select(LiveTask.From), v2.Recent);
                return true;
            case SchedulerSnapshot v1:
                Restore(v1.Live.Select(LiveTask.From), v1.Recent);
                return true;
            default:
                return false;
        }
    }

    private void Restore(IEnumerable<LiveTask> live, IReadOnlyList<TaskOutcome> recent)
    {
        _live.Clear();
        _perApp.Clear();
        _byMiner.Clear();
        AssignedCount = 0;
        _recent = new RecentOutcomes(recentCapacity);
        foreach (var task in live)
        {
            task.Order = ++_order;
            _live.Add(task.Id, task);
            _perApp[task.Accepted.AppId] = CountFor(task.Accepted.AppId) + 1;
            foreach (var run in task.Runs ?? [])
            {
                Index(run.Miner, task.Id);
            }
            if (task.RunCount > 0)
            {
                AssignedCount++;
            }
        }
        foreach (var outcome in recent)
        {
            _recent.Add(outcome);
        }
    }

    private void Finish(LiveTask task, TaskOutcome outcome)
    {
        Unassign(task);
        _live.Remove(task.Id);
        var left = CountFor(task.Accepted.AppId) - 1;
        if (left > 0)
        {
            _perApp[task.Accepted.AppId] = left;
        }
        else
        {
            _perApp.Remove(task.Accepted.AppId);
        }
        _recent.Add(outcome);
    }

    private void AddRun(LiveTask task, Run run)
    {
        if (task.RunCount == 0)
        {
            AssignedCount++;
        }
        task.AddRun(run);
        Index(run.Miner, task.Id);
    }

    private void RemoveRun(LiveTask task, Run run)
    {
        task.RemoveRun(run);
        if (task.RunCount == 0)
        {
            AssignedCount--;
        }
        if (_byMiner.TryGetValue(run.Miner, out var ids))
        {
            ids.Remove(task.Id);
            if (ids.Count == 0)
            {
                _byMiner.Remove(run.Miner);
            }
        }
    }

    private void Unassign(LiveTask task)
    {
        foreach (var run in task.Runs?.ToArray() ?? [])
        {
            RemoveRun(task, run);
        }
    }

    /// <summary>SHA-256 of the input as 0x hex, as the contract's inputDigest: what the trust keeper is told.</summary>
    public static string InputDigestOf(LiveTask task) =>
        "0x" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(task.Accepted.Input));

    private void Index(Address miner, string taskId)
    {
        if (!_byMiner.TryGetValue(miner, out var ids))
        {
            _byMiner[miner] = ids = new HashSet<string>(StringComparer.Ordinal);
        }
        ids.Add(taskId);
    }
}
