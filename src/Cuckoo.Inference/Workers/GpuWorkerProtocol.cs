using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Workers;

/// <summary>Run <paramref name="Input"/> on the worker's model; answered with <see cref="InferenceSucceeded"/> or <see cref="InferenceFailed"/>.</summary>
/// <param name="Deadline">Time from arrival to the answer; the worker's default when null. Past it the run is terminated.</param>
public sealed record RunInference(string TaskId, string ModelId, ModelInput Input, TimeSpan? Deadline = null);

/// <summary>Stop a queued or running task; it is answered with <see cref="InferenceFailed"/> (Cancelled) unless already answered.</summary>
public sealed record CancelInference(string TaskId);

/// <summary>Ask for the worker's <see cref="WorkerStatus"/>.</summary>
public sealed record GetWorkerStatus
{
    public static readonly GetWorkerStatus Instance = new();
}

/// <summary>A task's encoded output (PNG or JSON) and the sha256 over its canonical bytes (see Digest).</summary>
public sealed record InferenceSucceeded(
    string TaskId, string ModelId, string ContentType, byte[] Output, string Sha256, ProviderReport Provider, TimeSpan Elapsed);

/// <summary>A task that produced no output, and why.</summary>
public sealed record InferenceFailed(string TaskId, string ModelId, InferenceFailure Reason, string Message);

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

    /// <summary>The session broke; the worker restarts with a new one and dropped this queued task.</summary>
    WorkerRestarting,
}

/// <summary>What a worker serves and how: its provider as really used, and counters since its session was created.</summary>
/// <param name="SessionNumber">Process-wide number of the session; a restart that recreates the session changes it.</param>
public sealed record WorkerStatus(
    string ModelId,
    ProviderReport? Provider,
    string? UnavailableReason,
    long SessionNumber,
    string? RunningTaskId,
    int Queued,
    long Completed,
    long Failed);

/// <summary>The session run finished on the thread pool; the session is free for the next task.</summary>
internal sealed record InferCompleted(string TaskId, InferenceResult Result);

/// <summary>The session run threw on the thread pool.</summary>
internal sealed record InferFaulted(string TaskId, Exception Cause);

/// <summary>Post-processing and encoding finished.</summary>
internal sealed record EncodeCompleted(string TaskId, ModelOutput Output);

/// <summary>Post-processing threw (the session is not involved).</summary>
internal sealed record EncodeFaulted(string TaskId, Exception Cause);

/// <summary>A task's deadline timer fired.</summary>
internal sealed record DeadlineReached(string TaskId);

/// <summary>Test hook: makes the session unusable, as a crashed device would.</summary>
internal sealed record BreakSession
{
    public static readonly BreakSession Instance = new();
}
