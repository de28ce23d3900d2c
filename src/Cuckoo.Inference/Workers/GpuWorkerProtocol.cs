using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Workers;

/// <summary>Run <paramref name="Input"/> on the worker's model; answered with <see cref="InferenceSucceeded"/> or <see cref="InferenceFailed"/>.</summary>
/// <param name="Deadline">Time from arrival to the answer; the worker's default when null. Past it the run is terminated.</param>
/// <param name="StartedTo">Told <see cref="InferenceStarted"/> when the session begins the run (not the answer's receiver:
/// an Ask's would take it for the answer).</param>
public sealed record RunInference(string TaskId, string ModelId, ModelInput Input, TimeSpan? Deadline = null, Akka.Actor.IActorRef? StartedTo = null);

/// <summary>The session has begun running the task: it waited its turn behind the tasks before it, if any.</summary>
public sealed record InferenceStarted(string TaskId, string ModelId);

/// <summary>Stop a queued or running task; it is answered with <see cref="InferenceFailed"/> (Cancelled) unless already answered.</summary>
public sealed record CancelInference(string TaskId);

/// <summary>Ask for the worker's <see cref="WorkerStatus"/>.</summary>
public sealed record GetWorkerStatus
{
    public static readonly GetWorkerStatus Instance = new();
}

/// <summary>A task's encoded output (PNG or JSON) and the sha256 over its canonical bytes (see Digest).</summary>
/// <param name="Elapsed">
/// From when the worker took the task to its answer: queueing, run, post-processing. A task that arrived while the
/// session was being created is taken when it is ready (its deadline still counts from arrival).
/// </param>
public sealed record InferenceSucceeded(
    string TaskId, string ModelId, string ContentType, byte[] Output, string Sha256, ProviderReport Provider, TimeSpan Elapsed);

/// <summary>A task that produced no output, and why.</summary>
public sealed record InferenceFailed(string TaskId, string ModelId, InferenceFailure Reason, string Message);

/// <summary>
/// The supervisor's answer to any message while a broken session is being re-created (between the old worker's stop
/// and the new one's start, see <see cref="GpuWorkerSupervisor"/>); the message was not delivered, send it again later.
/// </summary>
public sealed record RefusedWhileRestarting(string ModelId);

public enum InferenceFailure
{
    /// <summary>The worker does not serve the named model.</summary>
    UnknownModel,

    /// <summary>The input failed validation; nothing reached the model.</summary>
    InvalidInput,

    /// <summary>The worker's queue is full.</summary>
    Busy,

    DeadlineExceeded,
    Cancelled,

    /// <summary>The model could not be loaded (missing file, digest mismatch, bad catalog entry).</summary>
    ModelUnavailable,

    /// <summary>ONNX Runtime or post-processing failed on this input.</summary>
    ModelError,

    /// <summary>The session broke; the worker is re-created with a new one and dropped this queued task.</summary>
    WorkerRestarting,
}

/// <summary>What a worker serves and how: its provider as really used, and counters since its session was created.</summary>
/// <param name="Provider">Null while the session is being created or when the model is unavailable.</param>
/// <param name="SessionNumber">Process-wide number of the session; re-creating the session changes it (0 before one exists).</param>
public sealed record WorkerStatus(
    string ModelId,
    ProviderReport? Provider,
    string? UnavailableReason,
    long SessionNumber,
    string? RunningTaskId,
    int Queued,
    long Completed,
    long Failed);

/// <summary>The session was created (and warmed up) off the actor thread.</summary>
internal sealed record SessionStarted(ModelRunner Runner, long SessionNumber);

/// <summary>The session could not be created: <paramref name="Broken"/> when it was created but failed its warm-up run.</summary>
internal sealed record SessionStartFailed(Exception Cause, bool Broken);

/// <summary>The session thread finished a run; the session is free for the next task.</summary>
internal sealed record SessionRunCompleted(string TaskId, InferenceResult Result);

/// <summary>The session thread's run threw.</summary>
internal sealed record SessionRunFaulted(string TaskId, Exception Cause);

/// <summary>Post-processing and encoding finished (piped back from the thread pool).</summary>
internal sealed record EncodeCompleted(string TaskId, ModelOutput Output);

/// <summary>Post-processing threw (the session is not involved).</summary>
internal sealed record EncodeFaulted(string TaskId, Exception Cause);

/// <summary>A task's deadline timer fired.</summary>
internal sealed record DeadlineReached(string TaskId);

/// <summary>Test hook: make the session unusable, as a crashed device would.</summary>
internal sealed record BreakSession
{
    public static readonly BreakSession Instance = new();
}
