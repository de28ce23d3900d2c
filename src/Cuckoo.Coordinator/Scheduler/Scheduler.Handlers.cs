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
        var pinned = m.PinnedMiners is { Count: > 0 } list ? list : null;
        if (m.Verify < 1 || m.Verify > _settings.MaxVerify || (pinned is not null && m.Verify > pinned.Distinct().Count()))
        {
            Reject(new TaskRejected(m.TaskId, RejectReason.Invalid, pinned is not null && m.Verify > pinned.Count
                ? $"verify: {m.Verify} needs {m.Verify} distinct miners, and the task pins {pinned.Distinct().Count()}."
                : $"verify must be between 1 and {_settings.MaxVerify}, not {m.Verify}."));
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
        // Drawn for every task alike, so that a miner cannot tell an audited task from another; a task pinned to one miner has no auditor.
        var audited = m.Verify == 1 && _settings.AuditRate > 0 && (pinned is null || pinned.Distinct().Count() > 1) && _random() < _settings.AuditRate;
        var required = audited ? 2 : m.Verify;
        var accepted = new TaskAcceptedEvent(
            m.TaskId, m.AppId, m.Model, m.Input, m.Parameters, pinned,
            m.Deadline is { } d && d > TimeSpan.Zero ? d : _settings.TaskDeadline, Now,
            Required: required > 1 ? required : 0, Audited: audited);
        var task = Emit(accepted)!;
        _metrics?.TaskAccepted();
        Reply(Sender, new TaskAccepted(m.TaskId, task.Status));
        Notify(task, task.Status);
        RequestPick(task);
    }

    private void OnPicked(MinerPicked m)
    {
        // A late answer to an earlier pick: its credit stays taken in the registry until the miner reports credits again.
        if (_book.Find(m.TaskId) is not { PickInFlight: true } task || Wanted(task) == 0 || task.Tried?.Contains(m.Miner) == true)
        {
            return;
        }
        task.PickInFlight = false;
        task.PickRetryAt = null;
        var now = Now;
        if (task.Attempt == 0)
        {
            _metrics?.TaskAssigned(now - task.Accepted.At);
        }
        Emit(new TaskAssigned(task.Id, task.Attempt + 1, m.Miner, now));
        var run = task.Latest!;
        run.Due = now + task.Accepted.Deadline;
        After(_dispatcher, Dispatch(task, run));
        Notify(task, task.Status);
        // A task that needs several miners asks for the next one at once: they run side by side.
        Progress(task);
    }

    private void OnNoMiner(NoMinerAvailable m)
    {
        if (_book.Find(m.TaskId) is { PickInFlight: true } task)
        {
            // Its retry is already armed; the reason is kept for the failure if no miner ever comes.
            task.PickInFlight = false;
            task.LastNoMiner = m.Explanation;
            if (m.Reason == NoMinerReason.AllTried && task.Accepted.Audited && task.RunCount == 0 && Unanimous(task))
            {
                // No other miner can audit it now (a one-miner network): the app gets its result rather than a wait.
                Complete(task, Groups(task)[0], audited: false);
            }
            else if (Wanted(task) > 0)
            {
                _waiting.Add(task);
            }
        }
    }

    private void OnCreditsFreed(CreditsFreed m)
    {
        // The longest waiting first. A task that asked again meanwhile (its retry) left the queue; a finished one too.
        for (var left = m.Free; left > 0 && _waiting.TakeOldest(m.Models) is { } task;)
        {
            if (_book.Find(task.Id) == task && !task.PickInFlight && Wanted(task) > 0)
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
        if (task.FindRun(m.Attempt, m.Miner) is null)
        {
            _log.Warning("scheduler: refused a result for task {0} from {1} (attempt {2}); running: {3}",
                m.TaskId, m.Miner, m.Attempt, task.Runs is { } runs ? string.Join(", ", runs.Select(r => $"{r.Attempt} on {r.Miner}")) : "nothing");
            Reply(Sender, new ResultRefused(m.TaskId, "not the miner of a current attempt"));
            return;
        }
        var now = Now;
        var result = new TaskResult(m.Miner, m.Attempt, m.OutputDigest, m.Output, m.Signature);
        if (task.Required == 1)
        {
            Emit(new TaskCompleted(task.Id, m.Attempt, m.Miner, m.OutputDigest, m.Output, m.Signature, now));
            Finished(task, result, runs: null, audited: false);
            Reply(Sender, new ResultAccepted(m.TaskId));
            return;
        }
        Emit(new TaskResultRecorded(task.Id, m.Attempt, m.Miner, m.OutputDigest, m.Output, m.Signature, now));
        task.FirstResultAt ??= now;
        Reply(Sender, new ResultAccepted(m.TaskId));
        Evaluate(task);
    }

    private void OnStarted(AttemptStarted m)
    {
        if (_book.Find(m.TaskId) is { } task && task.FindRun(m.Attempt, m.Miner) is { Started: false } run)
        {
            run.Started = true;
            // A status shows the newest run; the start of an older one (a verified task's first) changes nothing seen.
            if (task.Latest == run)
            {
                Notify(task, task.Status);
            }
        }
    }

    private void OnFailure(ReportFailure m)
    {
        if (_book.Find(m.TaskId) is { } task && task.FindRun(m.Attempt, m.Miner) is { } run)
        {
            Reassign(task, run, ReassignReason.Failure, $"miner {m.Miner} failed attempt {m.Attempt}: {m.Reason}");
        }
    }

    private void OnMinerLost(MinerLost m)
    {
        foreach (var id in _book.TasksOf(m.Miner))
        {
            if (_book.Find(id) is { } task && task.Runs?.Find(r => r.Miner == m.Miner) is { } run)
            {
                Reassign(task, run, ReassignReason.MinerLost, $"miner {m.Miner} was lost");
            }
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

    /// <summary>
    /// Takes one attempt from its miner, which produced nothing (a crash, a timeout, a loss: bad luck, never a lie): the
    /// task gets another miner, or gives up once it has failed <see cref="SchedulerSettings.MaxAttempts"/> times.
    /// </summary>
    private void Reassign(LiveTask task, Run run, ReassignReason why, string reason)
    {
        var revoke = new RevokeTask(task.Id, run.Miner, run.Attempt, reason);
        if (task.Failures + 1 >= _settings.MaxAttempts)
        {
            // Giving up revokes every run still going, this one included.
            GiveUp(task, $"{task.Failures + 1} attempts failed; the last: {reason}");
        }
        else
        {
            _log.Info("scheduler: task {0} goes to another miner: {1}", task.Id, reason);
            Emit(new TaskReassigned(task.Id, run.Attempt, run.Miner, reason, Now));
            _metrics?.TaskReassigned(why);
            Notify(task, task.Status);
            Progress(task);
            After(_dispatcher, revoke);
        }
    }

    private void Fail(LiveTask task, string reason)
    {
        var now = Now;
        RevokeRuns(task, "the task failed");
        Emit(new TaskFailed(task.Id, reason, now));
        _metrics?.TaskFinished(completed: false, now - task.Accepted.At);
        Notify(task, new TaskStatus.Failed(task.Id, reason));
    }
}
