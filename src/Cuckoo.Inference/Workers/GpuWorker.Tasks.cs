using Cuckoo.Actors;
using Cuckoo.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Workers;

/// <summary>The task pipeline: admission, session runs (on the session thread), encodes, cancels, deadlines and answers.</summary>
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

        if (_runner is null || _loop is null)
        {
            Fail(replyTo, task, InferenceFailure.ModelUnavailable, _unavailable ?? "the model is not loaded");
            return;
        }

        if (_pending.ContainsKey(task.TaskId) || _encoding.ContainsKey(task.TaskId))
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

        // Room for one running task and MaxQueuedTasks behind it, whether or not the session thread has picked one up.
        if (_pending.Count > _settings.MaxQueuedTasks)
        {
            Fail(replyTo, task, InferenceFailure.Busy, $"{_pending.Count} tasks are in progress already");
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
        var pending = new Pending(task, replyTo, prepared, runOptions, timer, Context.System.Time.GetTimestamp());
        _pending[task.TaskId] = pending;
        _loop.Post(pending);
    }

    private void OnCancel(CancelInference cancel) => Stop(cancel.TaskId, InferenceFailure.Cancelled, "cancelled");

    private void OnDeadline(DeadlineReached reached) => Stop(reached.TaskId, InferenceFailure.DeadlineExceeded, "the deadline passed");

    /// <summary>A waiting task is answered now; a running one is terminated and answered when its run returns.</summary>
    private void Stop(string taskId, InferenceFailure reason, string message)
    {
        if (!_pending.TryGetValue(taskId, out var pending))
        {
            return;
        }

        if (pending.TrySkip())
        {
            _pending.Remove(taskId);
            Finish(pending, reason, message + " while queued");
        }
        else
        {
            pending.Outcome ??= (reason, message + " while running");
            pending.Options.Terminate = true;
        }
    }

    private void OnInferred(InferCompleted completed)
    {
        if (!_pending.Remove(completed.TaskId, out var pending))
        {
            completed.Result.Dispose();
            return;
        }

        if (pending.Outcome is { } outcome)
        {
            completed.Result.Dispose();
            Finish(pending, outcome.Reason, outcome.Message);
            return;
        }

        // Past this point the answer is the output: a late cancel or deadline no longer applies.
        pending.Timer.Dispose();
        var runner = _runner!;
        var work = Task.Run(() => new EncodeCompleted(completed.TaskId, runner.Encode(completed.Result)));
        _encoding[completed.TaskId] = (pending, work);
        work.PipeTo(Self, failure: e => new EncodeFaulted(completed.TaskId, e));
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
        if (!_pending.Remove(faulted.TaskId, out var pending))
        {
            return;
        }

        // The deadline timer sets the terminate flag before its message arrives; a run it stopped is not a model error.
        var stopped = pending.Outcome
            ?? (pending.Options.Terminate ? (InferenceFailure.DeadlineExceeded, "the deadline passed while running") : null);
        if (stopped is { } outcome)
        {
            Finish(pending, outcome.Reason, outcome.Message);
            return;
        }

        _log.LogWarning("task {Task} failed: {Reason}", faulted.TaskId, faulted.Cause.Message);
        Finish(pending, InferenceFailure.ModelError, faulted.Cause.Message);
        if (!Healthy(out var healthError))
        {
            throw new SessionBrokenException(_modelId, healthError!);
        }
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

    /// <summary>
    /// Answers every task with <paramref name="reason"/> and stops the session thread; true when it stopped, so the
    /// session may be disposed. Runs are terminated first and awaited: they use the session and their buffers natively.
    /// </summary>
    private bool Shutdown(InferenceFailure reason, string message)
    {
        foreach (var pending in _pending.Values)
        {
            if (!pending.TrySkip())
            {
                pending.Options.Terminate = true;
            }
        }

        var stopped = _loop?.Stop(TimeSpan.FromSeconds(10)) ?? true;
        _loop = null;
        Task.WaitAny([Task.WhenAll(_encoding.Values.Select(e => e.Work)), Task.Delay(TimeSpan.FromSeconds(10))]);
        foreach (var pending in _pending.Values)
        {
            if (stopped)
            {
                Finish(pending, reason, message);
            }
            else
            {
                Fail(pending.ReplyTo, pending.Task, reason, message);
            }
        }

        foreach (var (pending, _) in _encoding.Values)
        {
            Finish(pending, reason, message);
        }

        _pending.Clear();
        _encoding.Clear();
        return stopped;
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

    /// <summary>An accepted task until it is answered. Its state moves once: waiting → started (session thread) or skipped (actor).</summary>
    private sealed class Pending(RunInference task, IActorRef replyTo, PreparedInput prepared, RunOptions options, ITimer timer, long arrivedAt)
    {
        private const int Waiting = 0, Running = 1, Skipped = 2;
        private int _state;

        public RunInference Task { get; } = task;

        public IActorRef ReplyTo { get; } = replyTo;

        public PreparedInput Prepared { get; } = prepared;

        public RunOptions Options { get; } = options;

        public ITimer Timer { get; } = timer;

        public long ArrivedAt { get; } = arrivedAt;

        public bool Started => Volatile.Read(ref _state) == Running;

        /// <summary>Set (by the actor) when the task was cancelled or timed out while running; the answer then says so.</summary>
        public (InferenceFailure Reason, string Message)? Outcome { get; set; }

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Waiting) == Waiting;

        public bool TrySkip() => Interlocked.CompareExchange(ref _state, Skipped, Waiting) == Waiting;

        public void Dispose()
        {
            Timer.Dispose();
            Prepared.Dispose();
            Options.Dispose();
        }
    }
}
