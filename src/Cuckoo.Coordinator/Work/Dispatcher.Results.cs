using Akka.Actor;
using Akka.Event;
using Cuckoo.Cluster.Work;
using Cuckoo.Coordinator.Scheduler;
using Address = Cuckoo.Chain.Address;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Coordinator.Work;

// Outcomes from the links: checked, passed to the scheduler, and acknowledged once it has recorded them.
public sealed partial class Dispatcher
{
    private void OnCompleted(WorkCompleted m)
    {
        if (!Address.TryParse(m.Miner, out var miner) || !FromItsLink(miner))
        {
            Acknowledge(Sender, m.TaskId, m.Attempt, accepted: false, "this node is not the work link of the miner it names");
            return;
        }
        if (!_inFlight.TryGetValue((m.TaskId, m.Attempt), out var flight))
        {
            CheckStale(miner, m.TaskId, m.Attempt);
            return;
        }
        if (flight.Miner != miner)
        {
            Acknowledge(Sender, m.TaskId, m.Attempt, accepted: false, "the attempt was not given to this miner");
            return;
        }
        var task = flight.Task;
        if (!WorkTask.VerifyResult(_settings.TypedData, _settings.Coordinator, task.TaskId, task.Model, task.Input, m.OutputDigest, m.Signature, miner))
        {
            _log.Warning("miner {0} sent a result for {1} (attempt {2}) whose signature does not recover to it; refused", miner, m.TaskId, m.Attempt);
            Acknowledge(Sender, m.TaskId, m.Attempt, accepted: false, "the signature does not recover to the miner of the attempt");
            return;
        }
        _inFlight.Remove((m.TaskId, m.Attempt));
        var link = Sender;
        _scheduler.Ask<object>(new ReportResult(m.TaskId, miner, m.Attempt, m.OutputDigest, m.Output, m.Signature), _settings.SchedulerTimeout)
            .PipeTo(Self, success: answer => new ResultAnswered(link, m.TaskId, m.Attempt, answer),
                failure: e => new ResultAnswered(link, m.TaskId, m.Attempt, e));
    }

    private void OnFailed(WorkFailed m)
    {
        if (!Address.TryParse(m.Miner, out var miner) || !FromItsLink(miner))
        {
            Acknowledge(Sender, m.TaskId, m.Attempt, accepted: false, "this node is not the work link of the miner it names");
            return;
        }
        if (_inFlight.TryGetValue((m.TaskId, m.Attempt), out var flight) && flight.Miner == miner)
        {
            _inFlight.Remove((m.TaskId, m.Attempt));
            // The scheduler gives the task to another miner, or fails it after its last attempt.
            _scheduler.Tell(new ReportFailure(m.TaskId, miner, m.Attempt, Shorten(m.Reason)));
        }
        Acknowledge(Sender, m.TaskId, m.Attempt, accepted: true, null);
    }

    /// <summary>Passed on only from the link of the miner the attempt is in flight with; no acknowledgement (it is not resent).</summary>
    private void OnStarted(WorkStarted m)
    {
        if (Address.TryParse(m.Miner, out var miner) && FromItsLink(miner)
            && _inFlight.TryGetValue((m.TaskId, m.Attempt), out var flight) && flight.Miner == miner)
        {
            _scheduler.Tell(new AttemptStarted(m.TaskId, miner, m.Attempt));
        }
    }

    private void OnResultAnswered(ResultAnswered m)
    {
        switch (m.Answer)
        {
            case ResultAccepted:
                Acknowledge(m.Link, m.TaskId, m.Attempt, accepted: true, null);
                break;
            case ResultRefused refused:
                Acknowledge(m.Link, m.TaskId, m.Attempt, accepted: false, refused.Reason);
                break;
            default:
                // No answer in time (the scheduler restarting): the link sends the result again, and the check starts over.
                _log.Warning("the scheduler did not record the result of {0} (attempt {1}) in time; the miner will send it again", m.TaskId, m.Attempt);
                break;
        }
    }

    /// <summary>
    /// An outcome for an attempt this dispatcher did not send: after a failover the recovered scheduler may yet send it
    /// again (then the link's next resend is checked), or the attempt is over and the link is told to stop.
    /// </summary>
    private void CheckStale(Address miner, string taskId, int attempt)
    {
        var link = Sender;
        _scheduler.Ask<object>(new GetTask(taskId), _settings.SchedulerTimeout)
            .PipeTo(Self, success: status => new StaleResultChecked(link, miner, taskId, attempt, status),
                failure: e => new StaleResultChecked(link, miner, taskId, attempt, e));
    }

    private void OnStaleChecked(StaleResultChecked m)
    {
        switch (m.Status)
        {
            case TaskStatus.Assigned a when a.Miner == m.Miner && a.Attempt == m.Attempt:
            case Status.Failure:
                // Still this miner's attempt: its dispatch is on the way (held until the link is known, or just recovered).
                if (_links.TryGetValue(m.Miner, out var known) && known.Ref.Equals(m.Link))
                {
                    ReleaseHeld(m.Miner);
                }
                break;
            case TaskStatus status:
                Acknowledge(m.Link, m.TaskId, m.Attempt, accepted: false, $"attempt {m.Attempt} of task {m.TaskId} is not running on this miner ({status.GetType().Name.ToLowerInvariant()})");
                break;
        }
    }

    private bool FromItsLink(Address miner) => _links.TryGetValue(miner, out var link) && link.Ref.Equals(Sender);

    private void Acknowledge(IActorRef link, string taskId, int attempt, bool accepted, string? reason) =>
        link.Tell(new WorkAcknowledged(taskId, attempt, accepted, reason), Self);

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500];
}
