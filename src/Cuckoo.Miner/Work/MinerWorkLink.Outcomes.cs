using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Work;
using Cuckoo.Inference.Workers;

namespace Cuckoo.Miner.Work;

// Outcomes: each attempt's result (signed) or failure goes to the dispatcher that assigned it, is resent until a
// dispatcher acknowledges it, and is remembered for a repeated assignment; a revoked attempt is stopped and sends nothing.
public sealed partial class MinerWorkLink
{
    private void Complete(AttemptKey key, Running running, InferenceSucceeded succeeded)
    {
        if (_settings.CorruptOutputs)
        {
            succeeded = Corrupt(succeeded);
        }
        string signature;
        try
        {
            signature = WorkTask.SignResult(_typed, _key, running.Work, succeeded.Sha256);
        }
        catch (ArgumentException e)
        {
            Finish(key, running, $"{InferenceFailure.ModelError}: the output could not be signed: {e.Message}");
            return;
        }
        _running.Remove(key);
        _log.Info("task {0} finished on {1} in {2:F0} ms", key, running.Work.Model, succeeded.Elapsed.TotalMilliseconds);
        Remember(key, new WorkCompleted(key.TaskId, key.Attempt, _miner, succeeded.ContentType, succeeded.Output, succeeded.Sha256, signature), running.Dispatcher);
        Advertise(force: false);
    }

    /// <summary>What a faking miner sends: other bytes than the model's, with their own digest, signed as its result.</summary>
    private static InferenceSucceeded Corrupt(InferenceSucceeded real)
    {
        var output = (byte[])real.Output.Clone();
        for (var i = output.Length / 2; i < output.Length; i++)
        {
            output[i] ^= 0x5a;
        }
        return real with { Output = output, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(output)) };
    }

    /// <summary>The attempt ran and failed: its credit is free again, and the dispatcher learns why.</summary>
    private void Finish(AttemptKey key, Running running, string reason)
    {
        _running.Remove(key);
        Timers.Cancel(RetryTimer(key));
        _log.Info("task {0} failed on {1} after {2:F0} ms: {3}", key, running.Work.Model, Stopwatch.GetElapsedTime(running.AssignedAt).TotalMilliseconds, reason);
        Remember(key, new WorkFailed(key.TaskId, key.Attempt, _miner, reason), running.Dispatcher);
        Advertise(force: false);
    }

    /// <summary>An assignment refused before it ran.</summary>
    private void Record(AttemptKey key, WorkAssigned work, IActorRef dispatcher, string reason)
    {
        _log.Warning("task {0} ({1}) refused: {2}", key, work.Model, reason);
        Remember(key, new WorkFailed(key.TaskId, key.Attempt, _miner, reason), dispatcher);
    }

    /// <summary>Sends an outcome to the dispatcher that assigned it; it is resent until acknowledged, and remembered for repeats.</summary>
    private void Remember(AttemptKey key, IWireMessage outcome, IActorRef dispatcher)
    {
        _unacknowledged[key] = outcome;
        if (_finished.TryAdd(key, outcome))
        {
            _finishedOrder.Enqueue(key);
            while (_finishedOrder.Count > _settings.FinishedCacheSize)
            {
                _finished.Remove(_finishedOrder.Dequeue());
            }
        }
        else
        {
            _finished[key] = outcome;
        }
        dispatcher.Tell(outcome);
    }

    private void OnRevoked(WorkRevoked revoked)
    {
        var key = new AttemptKey(revoked.TaskId, revoked.Attempt);
        if (!_running.Remove(key, out var running))
        {
            return;
        }
        Timers.Cancel(RetryTimer(key));
        _workers[running.Work.Model].Tell(new CancelInference(running.RunId));
        _log.Info("task {0} revoked on {1} after {2:F0} ms: {3}", key, running.Work.Model, Stopwatch.GetElapsedTime(running.AssignedAt).TotalMilliseconds, revoked.Reason);
        Advertise(force: false);
    }

    private void OnAcknowledged(WorkAcknowledged acknowledged)
    {
        var key = new AttemptKey(acknowledged.TaskId, acknowledged.Attempt);
        if (_unacknowledged.Remove(key) && !acknowledged.Accepted)
        {
            _log.Warning("the dispatcher refused the outcome of task {0}: {1}", key, acknowledged.Reason ?? "no reason given");
        }
    }

    /// <summary>The assigning dispatcher may be gone after a failover: the proxy reaches the one there is now.</summary>
    private void OnResend()
    {
        foreach (var outcome in _unacknowledged.Values)
        {
            _proxy.Tell(outcome);
        }
    }
}
