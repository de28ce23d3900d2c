using Cuckoo.Actors;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Workers;

/// <summary>The task pipeline: queue, session runs, encodes, cancels, deadlines and answers.</summary>
public sealed partial class GpuWorker
{
    private void OnRun(RunInference task)
    {
        var replyTo = Sender ?? ActorRefs.Nobody;
        if (task.ModelId != _modelId)
        {
            Fail(replyTo, task, InferenceFailure.UnknownModel, $"this worker serves '{_modelId}', not '{task.ModelId}'");
            return;
        }

        if (_runner is null)
        {
            Fail(replyTo, task, InferenceFailure.ModelUnavailable, _unavailable ?? "the model is not loaded");
            return;
        }

        if (_running?.Pending.Task.TaskId == task.TaskId || _encoding.ContainsKey(task.TaskId) || _queue.Any(p => p.Task.TaskId == task.TaskId))
        {
            Fail(replyTo, task, InferenceFailure.InvalidInput, $"task id '{task.TaskId}' is already in progress on this worker");
            return;
        }

        var deadline = task.Deadline ?? _settings.DefaultDeadline;
        if (deadline <= TimeSpan.Zero)
        {
            Fail(replyTo, task, InferenceFailure.DeadlineExceeded, "the deadline had passed on arrival");
            return;
        }

        if (_queue.Count >= _settings.MaxQueuedTasks)
        {
            Fail(replyTo, task, InferenceFailure.Busy, $"{_queue.Count} tasks are queued already");
            return;
        }

        PreparedInput prepared;
        try
        {
            prepared = _runner.Prepare(task.Input);
        }
        catch (InvalidModelInputException e)
        {
            Fail(replyTo, task, InferenceFailure.InvalidInput, e.Message);
            return;
        }

        var runOptions = new RunOptions();
        var self = Self;
        var timer = Context.System.Time.CreateTimer(
            _ =>
            {
                runOptions.Terminate = true;
                self.Tell(new DeadlineReached(task.TaskId));
            },
            null,
            deadline,
            Timeout.InfiniteTimeSpan);
        _queue.Enqueue(new Pending(task, replyTo, prepared, runOptions, timer, Context.System.Time.GetTimestamp()));
        StartNext();
    }

    private void StartNext()
    {
        if (_running is not null || _runner is null || !_queue.TryDequeue(out var next))
        {
            return;
        }

        var runner = _runner;
        // A session run blocks its thread for the whole model; a dedicated thread keeps it off the pool that
        // runs the actors, so neither waits for the other.
        var work = Task.Factory.StartNew(
            () => new InferCompleted(next.Task.TaskId, runner.Infer(next.Prepared, next.Options)),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        _running = new Running(next, work);
        work.PipeTo(Self, failure: e => new InferFaulted(next.Task.TaskId, e));
    }

    private void OnCancel(CancelInference cancel)
    {
        if (_running is { } running && running.Pending.Task.TaskId == cancel.TaskId)
        {
            running.Outcome ??= (InferenceFailure.Cancelled, "cancelled while running");
            running.Pending.Options.Terminate = true;
            return;
        }

        var queued = _queue.FirstOrDefault(p => p.Task.TaskId == cancel.TaskId);
        if (queued is not null)
        {
            Remove(queued);
            Finish(queued, InferenceFailure.Cancelled, "cancelled while queued");
        }
    }

    private void OnDeadline(DeadlineReached reached)
    {
        if (_running is { } running && running.Pending.Task.TaskId == reached.TaskId)
        {
            running.Outcome ??= (InferenceFailure.DeadlineExceeded, "the deadline passed while running");
            return;
        }

        var queued = _queue.FirstOrDefault(p => p.Task.TaskId == reached.TaskId);
        if (queued is not null)
        {
            Remove(queued);
            Finish(queued, InferenceFailure.DeadlineExceeded, "the deadline passed while queued");
        }
    }

    private void OnInferred(InferCompleted completed)
    {
        if (_running is not { } running || running.Pending.Task.TaskId != completed.TaskId)
        {
            return;
        }

        _running = null;
        var pending = running.Pending;
        if (running.Outcome is { } outcome)
        {
            completed.Result.Dispose();
            Finish(pending, outcome.Reason, outcome.Message);
        }
        else
        {
            // Past this point the answer is the output: a late cancel or deadline no longer applies.
            pending.Timer.Dispose();
            var runner = _runner!;
            var work = Task.Run(() => new EncodeCompleted(completed.TaskId, runner.Encode(completed.Result)));
            _encoding[completed.TaskId] = (pending, work);
            work.PipeTo(Self, failure: e => new EncodeFaulted(completed.TaskId, e));
        }

        StartNext();
    }

    private void OnEncoded(EncodeCompleted encoded)
    {
        if (!_encoding.Remove(encoded.TaskId, out var entry))
        {
            return;
        }

        var pending = entry.Pending;
        pending.Dispose();
        _completed++;
        var elapsed = Context.System.Time.GetElapsedTime(pending.ArrivedAt);
        var output = encoded.Output;
        pending.ReplyTo.Tell(
            new InferenceSucceeded(pending.Task.TaskId, _modelId, output.ContentType, output.Bytes, output.Sha256, _runner?.Provider ?? _lastProvider!, elapsed),
            Self);
    }

    private void OnEncodeFaulted(EncodeFaulted faulted)
    {
        if (_encoding.Remove(faulted.TaskId, out var entry))
        {
            var cause = faulted.Cause is AggregateException { InnerException: { } inner } ? inner : faulted.Cause;
            _log.LogWarning("task {Task} failed in post-processing: {Reason}", faulted.TaskId, cause.Message);
            Finish(entry.Pending, InferenceFailure.ModelError, cause.Message);
        }
    }

    private void OnFaulted(InferFaulted faulted)
    {
        if (_running is not { } running || running.Pending.Task.TaskId != faulted.TaskId)
        {
            return;
        }

        _running = null;
        // The deadline timer sets the terminate flag before its message arrives; a run it stopped is not a model error.
        var stopped = running.Outcome
            ?? (running.Pending.Options.Terminate ? (InferenceFailure.DeadlineExceeded, "the deadline passed while running") : null);
        if (stopped is { } outcome)
        {
            Finish(running.Pending, outcome.Reason, outcome.Message);
            StartNext();
            return;
        }

        var cause = faulted.Cause is AggregateException { InnerException: { } inner } ? inner : faulted.Cause;
        _log.LogWarning("task {Task} failed: {Reason}", faulted.TaskId, cause.Message);
        Finish(running.Pending, InferenceFailure.ModelError, cause.Message);
        if (!Healthy(out var healthError))
        {
            throw new SessionBrokenException(_modelId, healthError!);
        }

        StartNext();
    }

    /// <summary>Runs the warm-up input; a session that cannot run it is broken.</summary>
    private bool Healthy(out Exception? error)
    {
        try
        {
            _runner!.Run(_runner.WarmUpInput());
            error = null;
            return true;
        }
        catch (Exception e)
        {
            error = e;
            return false;
        }
    }

    private void Remove(Pending pending)
    {
        var rest = _queue.Where(p => !ReferenceEquals(p, pending)).ToList();
        _queue.Clear();
        foreach (var p in rest)
        {
            _queue.Enqueue(p);
        }
    }

    private void FailAll(InferenceFailure reason, string message)
    {
        if (_running is { } running)
        {
            running.Pending.Options.Terminate = true;
            Finish(running.Pending, reason, message);
            _running = null;
        }

        while (_queue.TryDequeue(out var pending))
        {
            Finish(pending, reason, message);
        }

        foreach (var (pending, _) in _encoding.Values)
        {
            Finish(pending, reason, message);
        }

        _encoding.Clear();
    }

    private void Finish(Pending pending, InferenceFailure reason, string message)
    {
        pending.Dispose();
        Fail(pending.ReplyTo, pending.Task, reason, message);
    }

    private void Fail(IActorRef replyTo, RunInference task, InferenceFailure reason, string message)
    {
        _failed++;
        replyTo.Tell(new InferenceFailed(task.TaskId, task.ModelId, reason, message), Self);
    }

    private sealed record Pending(
        RunInference Task, IActorRef ReplyTo, PreparedInput Prepared, RunOptions Options, ITimer Timer, long ArrivedAt)
    {
        public void Dispose()
        {
            Timer.Dispose();
            Prepared.Dispose();
            Options.Dispose();
        }
    }

    private sealed class Running(Pending pending, Task work)
    {
        public Pending Pending { get; } = pending;

        public Task Work { get; } = work;

        /// <summary>Set when the task was cancelled or timed out while running; the answer then says so, whatever the run returns.</summary>
        public (InferenceFailure Reason, string Message)? Outcome { get; set; }
    }
}
