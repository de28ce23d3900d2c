using Akka.Actor;
using Akka.Event;
using Cuckoo.Coordinator.Metrics;
using Cuckoo.Coordinator.Registry;

namespace Cuckoo.Coordinator.Scheduler;

// The command handlers, by concern: submission, assignment, results and losses.
public sealed partial class Scheduler
{
    private void OnSubmit(SubmitTask m)
    {
        if (string.IsNullOrEmpty(m.TaskId) || string.IsNullOrEmpty(m.AppId) || string.IsNullOrEmpty(m.Model) || m.Input is null)
        {
            Reject(new TaskRejected(m.TaskId ?? "", RejectReason.Invalid, "A task needs an id, an app, a model and an input."));
            return;
        }
        var known = _book.Find(m.TaskId) is { } live
            ? (live.Accepted.AppId, live.Status)
            : _book.FindOutcome(m.TaskId) is { } outcome ? (outcome.AppId, outcome.Status) : default;
        if (known.Status is not null)
        {
            if (known.AppId == m.AppId)
            {
                Reply(Sender, new TaskAccepted(m.TaskId, known.Status, Duplicate: true));
            }
            else
            {
                Reject(new TaskRejected(m.TaskId, RejectReason.IdInUse, $"Task id {m.TaskId} belongs to another app."));
            }
            return;
        }
        if (_book.LiveCount >= _settings.MaxQueue)
        {
            Reject(new TaskRejected(m.TaskId, RejectReason.QueueFull,
                $"The scheduler holds its maximum of {_settings.MaxQueue} unfinished tasks.", _settings.RetryAfter));
            return;
        }
        if (_book.CountFor(m.AppId) >= _settings.PerAppQuota)
        {
            Reject(new TaskRejected(m.TaskId, RejectReason.QuotaExceeded,
                $"App {m.AppId} holds its maximum of {_settings.PerAppQuota} unfinished tasks.", _settings.RetryAfter));
            return;
        }
        var accepted = new TaskAcceptedEvent(
            m.TaskId, m.AppId, m.Model, m.Input, m.Parameters, m.PinnedMiners is { Count: > 0 } pinned ? pinned : null,
            m.Deadline is { } d && d > TimeSpan.Zero ? d : _settings.TaskDeadline, Now);
        var task = Emit(accepted)!;
        _metrics?.TaskAccepted();
        Reply(Sender, new TaskAccepted(m.TaskId, task.Status));
        Notify(task, task.Status);
        RequestPick(task);
    }

    private void OnPicked(MinerPicked m)
    {
        // A late answer to an earlier pick: its credit stays taken in the registry until the miner reports credits again.
        if (_book.Find(m.TaskId) is not { PickInFlight: true, Miner: null } task)
        {
            return;
        }
        task.PickInFlight = false;
        var now = Now;
        if (task.Attempt == 0)
        {
            _metrics?.TaskAssigned(now - task.Accepted.At);
        }
        Emit(new TaskAssigned(task.Id, task.Attempt + 1, m.Miner, now));
        Arm(task, now + task.Accepted.Deadline);
        After(_dispatcher, Dispatch(task));
        Notify(task, task.Status);
    }

    private void OnNoMiner(NoMinerAvailable m)
    {
        if (_book.Find(m.TaskId) is { PickInFlight: true, Miner: null } task)
        {
            // Its retry is already armed; the reason is kept for the failure if no miner ever comes.
            task.PickInFlight = false;
            task.LastNoMiner = m.Explanation;
        }
    }

    private void OnCreditsFreed(CreditsFreed m)
    {
        // Oldest first; a scan of the live tasks, which is cheap next to the journal write each pick leads to.
        var left = m.Free;
        foreach (var task in _book.Live)
        {
            if (left <= 0)
            {
                break;
            }
            if (task is { Miner: null, PickInFlight: false } && m.Models.Contains(task.Accepted.Model))
            {
                RequestPick(task);
                left--;
            }
        }
    }

    private void OnResult(ReportResult m)
    {
        if (_book.Find(m.TaskId) is not { } task)
        {
            var why = _book.FindOutcome(m.TaskId) is { } outcome
                ? outcome.Result is not null ? "already completed" : "already failed"
                : "unknown task";
            Reply(Sender, new ResultRefused(m.TaskId, why));
            return;
        }
        if (task.Miner != m.Miner || task.Attempt != m.Attempt)
        {
            _log.Warning("scheduler: refused a result for task {0} from {1} (attempt {2}); attempt {3} is assigned to {4}",
                m.TaskId, m.Miner, m.Attempt, task.Attempt, task.Miner?.ToString() ?? "nobody");
            Reply(Sender, new ResultRefused(m.TaskId, "not the miner of the current attempt"));
            return;
        }
        var now = Now;
        Emit(new TaskCompleted(task.Id, m.Attempt, m.Miner, m.OutputDigest, m.Output, m.Signature, now));
        _metrics?.TaskFinished(completed: true, now - task.Accepted.At);
        Reply(Sender, new ResultAccepted(m.TaskId));
        Notify(task, new TaskStatus.Completed(task.Id, new TaskResult(m.Miner, m.Attempt, m.OutputDigest, m.Output, m.Signature)));
    }

    private void OnFailure(ReportFailure m)
    {
        if (_book.Find(m.TaskId) is { } task && task.Miner == m.Miner && task.Attempt == m.Attempt)
        {
            Reassign(task, ReassignReason.Failure, $"miner {m.Miner} failed attempt {m.Attempt}: {m.Reason}");
        }
    }

    private void OnMinerLost(MinerLost m)
    {
        foreach (var id in _book.TasksOf(m.Miner))
        {
            Reassign(_book.Find(id)!, ReassignReason.MinerLost, $"miner {m.Miner} was lost");
        }
    }

    private void Reject(TaskRejected rejected)
    {
        _metrics?.TaskRejected(rejected.Reason);
        Reply(Sender, rejected);
    }

    private void OnSubscribe(SubscribeTask m)
    {
        var status = StatusOf(m.TaskId);
        Reply(m.Subscriber, status);
        if (_book.Find(m.TaskId) is { } task)
        {
            (task.Subscribers ??= []).Add(m.Subscriber);
        }
    }

    /// <summary>Takes the current attempt from its miner: the task waits for another, or fails when it was the last attempt.</summary>
    private void Reassign(LiveTask task, ReassignReason why, string reason)
    {
        var miner = task.Miner!.Value;
        var attempt = task.Attempt;
        var revoke = new RevokeTask(task.Id, miner, attempt, reason);
        if (attempt >= _settings.MaxAttempts)
        {
            Fail(task, $"{attempt} attempts failed; the last: {reason}");
        }
        else
        {
            Emit(new TaskReassigned(task.Id, attempt, miner, reason, Now));
            _metrics?.TaskReassigned(why);
            Notify(task, task.Status);
            RequestPick(task);
        }
        After(_dispatcher, revoke);
    }

    private void Fail(LiveTask task, string reason)
    {
        var now = Now;
        Emit(new TaskFailed(task.Id, reason, now));
        _metrics?.TaskFinished(completed: false, now - task.Accepted.At);
        Notify(task, new TaskStatus.Failed(task.Id, reason));
    }
}
