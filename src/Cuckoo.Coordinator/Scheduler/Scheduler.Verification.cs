using Akka.Event;
using Cuckoo.Coordinator.Trust;

namespace Cuckoo.Coordinator.Scheduler;

// Tasks that need several agreeing results: how many runs they still want, when they are decided, and what the trust
// keeper is told. A result that agrees with nobody is only blamed once a strict majority stands against it.
public sealed partial class Scheduler
{
    /// <summary>Runs to start now: results still needed at best, less those running, within the task's cap on runs.</summary>
    private int Wanted(LiveTask task)
    {
        if (task.Required == 1)
        {
            return task.RunCount == 0 ? 1 : 0;
        }
        var results = task.ResultCount;
        var best = results == 0 ? 0 : Groups(task)[0].Count;
        if (Decided(task.Required, results, best))
        {
            return 0;
        }
        // The fewest more results that could decide it: the runs asked for, and then a strict majority for the largest group.
        var needed = Math.Max(task.Required - results, results - 2 * best + 1);
        var room = task.Required + _settings.ExtraRuns - results - task.RunCount;
        return Math.Clamp(Math.Min(needed - task.RunCount, room), 0, int.MaxValue);
    }

    /// <summary>Decided once the runs asked for have answered and one group of agreeing results is a strict majority of them all.</summary>
    private static bool Decided(int required, int results, int best) => results >= required && best > results - best;

    /// <summary>Asks for the next miner if the task wants one; fails a task whose results can no longer reach a majority.</summary>
    private void Progress(LiveTask task)
    {
        if (Wanted(task) > 0)
        {
            if (!task.PickInFlight)
            {
                RequestPick(task);
            }
            return;
        }
        if (task.Required > 1 && task.RunCount == 0 && task.ResultCount > 0)
        {
            // Every run allowed has answered and no majority stands: nobody is blamed.
            GiveUp(task, $"the results of {task.ResultCount} miners disagree and no majority agrees; nobody is blamed");
            return;
        }
        task.PickRetryAt = null;
        Rearm(task);
    }

    /// <summary>After a result of a task that needs agreement: completes it once decided, or asks for more runs.</summary>
    private void Evaluate(LiveTask task)
    {
        var groups = Groups(task);
        var best = groups[0];
        if (Decided(task.Required, task.ResultCount, best.Count))
        {
            Complete(task, best, task.Accepted.Audited);
        }
        else
        {
            Progress(task);
        }
    }

    /// <summary>
    /// The results in groups of agreeing ones, largest first (the earliest first among equals). Each joins the first group
    /// whose first member it agrees with, which for a tolerance keeps every member close to one reference.
    /// </summary>
    private List<List<TaskResult>> Groups(LiveTask task) => task.Groups ??= GroupsOf(task);

    private List<List<TaskResult>> GroupsOf(LiveTask task)
    {
        var groups = new List<List<TaskResult>>();
        foreach (var result in task.Results ?? [])
        {
            var home = groups.Find(g => Agree(task.Accepted.Model, g[0], result));
            if (home is null)
            {
                groups.Add([result]);
            }
            else
            {
                home.Add(result);
            }
        }
        // A stable sort: among equal sizes the group formed first stays first.
        return [.. groups.OrderByDescending(g => g.Count)];
    }

    private bool Agree(string model, TaskResult a, TaskResult b)
    {
        try
        {
            return _agree(model, a.OutputDigest, a.Output, b.OutputDigest, b.Output);
        }
        catch (Exception e)
        {
            // A comparison that cannot be made is no agreement: the task runs again rather than taking an unchecked output.
            _log.Warning(e, "scheduler: comparing two results of model {0} failed", model);
            return false;
        }
    }

    private bool Unanimous(LiveTask task) => task.ResultCount > 0 && Groups(task).Count == 1;

    /// <summary>Records the majority's first result as the task's; every other result is marked as agreeing or not.</summary>
    private void Complete(LiveTask task, List<TaskResult> majority, bool audited)
    {
        var chosen = majority[0];
        var runs = task.Results!.Select(r => new RunResult(r.Miner, r.Attempt, r.OutputDigest, r.Signature, majority.Contains(r))).ToList();
        RevokeRuns(task, "the task is decided");
        Emit(new TaskCompleted(task.Id, chosen.Attempt, chosen.Miner, chosen.OutputDigest, chosen.Output, chosen.Signature, Now, runs, audited));
        Finished(task, chosen, runs, audited);
    }

    /// <summary>What follows a completion already emitted: metrics, subscribers, the trust keeper.</summary>
    private void Finished(LiveTask task, TaskResult result, IReadOnlyList<RunResult>? runs, bool audited)
    {
        var now = Now;
        _metrics?.TaskFinished(completed: true, now - task.Accepted.At);
        Notify(task, new TaskStatus.Completed(task.Id, result));
        After(_trust, new TaskSettled(
            task.Id, task.Accepted.Model, TaskBook.InputDigestOf(task),
            runs ?? [new RunResult(result.Miner, result.Attempt, result.OutputDigest, result.Signature, true)], audited, now));
    }

    /// <summary>
    /// The end of a task that cannot get what it needs: an audit whose first results agree completes on them unaudited
    /// (the app asked for one result); anything else fails with <paramref name="reason"/>.
    /// </summary>
    private void GiveUp(LiveTask task, string reason)
    {
        if (task.Accepted.Audited && Unanimous(task))
        {
            Complete(task, Groups(task)[0], audited: false);
        }
        else
        {
            Fail(task, reason);
        }
    }

    private void RevokeRuns(LiveTask task, string reason)
    {
        foreach (var run in task.Runs ?? [])
        {
            After(_dispatcher, new RevokeTask(task.Id, run.Miner, run.Attempt, reason));
        }
    }

    /// <summary>The settlement of a recent outcome, for telling the trust keeper again after a restart; null for failures and older snapshots.</summary>
    private TaskSettled? SettlementOf(TaskOutcome outcome) =>
        outcome is { Result: { } result, Model: { } model, InputDigest: { } input }
            ? new TaskSettled(outcome.TaskId, model, input,
                outcome.Runs ?? [new RunResult(result.Miner, result.Attempt, result.OutputDigest, result.Signature, true)], outcome.Audited,
                Now)
            : null;
}
