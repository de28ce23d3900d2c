using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Cuckoo.Inference.Models;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Workers;

/// <summary>The task pipeline: admission, session runs (on the session thread), encodes, cancels, deadlines and answers.</summary>
public sealed partial class GpuWorker
{
    private void OnRun(RunInference task)
    {
        var replyTo = Sender;
        if (task.ModelId != _modelId)
        {
            Fail(replyTo, task, InferenceFailure.UnknownModel, $"this worker serves '{_modelId}', not '{task.ModelId}'");
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

        var pending = new Pending(task, replyTo, new RunOptions(), Stopwatch.GetTimestamp());
        _pending[task.TaskId] = pending;
        Timers.StartSingleTimer(task.TaskId, new DeadlineReached(task.TaskId), deadline);
        if (_runner is not null)
        {
            Admit(pending);
        }
    }

    /// <summary>Validates the input into tensors and queues it for the session thread; an invalid one is answered here.</summary>
    private void Admit(Pending pending)
    {
        pending.TakenAt = Stopwatch.GetTimestamp();
        try
        {
            pending.Prepared = _runner!.Prepare(pending.Task.Input);
        }
        catch (InvalidModelInputException e)
        {
            _pending.Remove(pending.Task.TaskId);
            Timers.Cancel(pending.Task.TaskId);
            Finish(pending, InferenceFailure.InvalidInput, e.Message);
            return;
        }

        _loop!.Post(pending);
    }

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
            Timers.Cancel(taskId);
            Finish(pending, reason, message + " while queued");
        }
        else
        {
            pending.Outcome ??= (reason, message + " while running");
            pending.Options.Terminate = true;
        }
    }

    private void OnRunCompleted(SessionRunCompleted completed)
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
        Timers.Cancel(completed.TaskId);
        var runner = _runner!;
        var taskId = completed.TaskId;
        var result = completed.Result;
        var work = Task.Run(() => new EncodeCompleted(taskId, runner.Encode(result)));
        _encoding[taskId] = (pending, work);
        work.PipeTo(Self, failure: e => new EncodeFaulted(taskId, e));
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
        var output = encoded.Output;
        pending.ReplyTo.Tell(new InferenceSucceeded(
            pending.Task.TaskId, _modelId, output.ContentType, output.Bytes, output.Sha256, _runner!.Provider,
            Stopwatch.GetElapsedTime(pending.TakenAt)));
    }

    private void OnEncodeFaulted(EncodeFaulted faulted)
    {
        if (_encoding.Remove(faulted.TaskId, out var entry))
        {
            var cause = faulted.Cause is AggregateException { InnerException: { } inner } ? inner : faulted.Cause;
            _log.Warning("task {0} failed in post-processing: {1}", faulted.TaskId, cause.Message);
            Finish(entry.Pending, InferenceFailure.ModelError, cause.Message);
        }
    }

    private void OnRunFaulted(SessionRunFaulted faulted)
    {
        if (!_pending.Remove(faulted.TaskId, out var pending))
        {
            return;
        }

        Timers.Cancel(faulted.TaskId);
        // A run stopped by its terminate flag (cancel or deadline) is not a model error.
        if (pending.Outcome is { } outcome)
        {
            Finish(pending, outcome.Reason, outcome.Message);
            return;
        }

        _log.Warning("task {0} failed: {1}", faulted.TaskId, faulted.Cause.Message);
        Finish(pending, InferenceFailure.ModelError, faulted.Cause.Message);
        if (!Healthy(out var healthError))
        {
            Shutdown(InferenceFailure.WorkerRestarting, $"the session of '{_modelId}' broke and is being re-created: {healthError!.Message}");
            throw new SessionBrokenException(_modelId, healthError);
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

        var stopped = _loop?.Stop(_settings.StopTimeout) ?? true;
        _loop = null;
        Task.WhenAny(Task.WhenAll(_encoding.Values.Select(e => e.Work)), Task.Delay(_settings.StopTimeout)).Wait();
        foreach (var pending in _pending.Values)
        {
            if (stopped)
            {
                Finish(pending, reason, message);
            }
            else
            {
                // Its run may still read the tensors: answer, but leave the buffers alone.
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
        replyTo.Tell(new InferenceFailed(task.TaskId, task.ModelId, reason, message));
    }

    /// <summary>
    /// An accepted task until it is answered. Its state moves once: waiting → started (session thread) or skipped
    /// (actor). <see cref="Prepared"/> is null while the task waits for the session to be created.
    /// </summary>
    private sealed class Pending(RunInference task, IActorRef replyTo, RunOptions options, long arrivedAt)
    {
        private const int Waiting = 0, Running = 1, Skipped = 2;
        private int _state;

        public RunInference Task { get; } = task;

        public IActorRef ReplyTo { get; } = replyTo;

        public PreparedInput? Prepared { get; set; }

        public RunOptions Options { get; } = options;

        public long ArrivedAt { get; } = arrivedAt;

        /// <summary>When the worker took the task: on arrival, or when the session was ready for one that came earlier.</summary>
        public long TakenAt { get; set; } = arrivedAt;

        public bool Started => Volatile.Read(ref _state) == Running;

        /// <summary>Set (by the actor) when the task was cancelled or timed out while running; the answer then says so.</summary>
        public (InferenceFailure Reason, string Message)? Outcome { get; set; }

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Waiting) == Waiting;

        public bool TrySkip() => Interlocked.CompareExchange(ref _state, Skipped, Waiting) == Waiting;

        public void Dispose()
        {
            Prepared?.Dispose();
            Options.Dispose();
        }
    }
}
