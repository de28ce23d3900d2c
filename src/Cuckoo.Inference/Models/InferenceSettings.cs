namespace Cuckoo.Inference.Models;

/// <summary>Which execution provider a session asks for.</summary>
public enum ExecutionProviderKind
{
    Cpu,
    Cuda,
}

/// <summary>Session and worker settings for one model on one device.</summary>
public sealed record InferenceSettings
{
    /// <summary>Provider to ask for; CUDA falls back to CPU, with the reason logged and reported. Default CPU.</summary>
    public ExecutionProviderKind Provider { get; init; } = ExecutionProviderKind.Cpu;

    /// <summary>CUDA device ordinal. Default 0.</summary>
    public int DeviceId { get; init; }

    /// <summary>Intra-op threads; 0 lets ONNX Runtime pick (one per physical core). Default 0.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether idle intra-op threads spin for the next piece of work (ONNX Runtime's default) or sleep. Default false: a
    /// miner's cores also encode, sign and carry results between runs, and a spinning thread takes the core from them.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Deadline of a task that names none. Default 60 s.</summary>
    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tasks a worker holds beyond the running one before it refuses more. Default 16.</summary>
    public int MaxQueuedTasks { get; init; } = 16;

    /// <summary>Run the model once at start so the first task does not pay for lazy initialization. Default true.</summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>
    /// How long stopping a worker waits for its running task to honour termination before the session is left to the
    /// finalizer (ONNX Runtime checks the flag between nodes, so this only matters for a hung device). Default 10 s.
    /// </summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Delay before the first re-creation of a broken session. Default 1 s.</summary>
    public TimeSpan RestartMinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the doubling delay between re-creations of a session that keeps breaking. Default 30 s.</summary>
    public TimeSpan RestartMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Random extra delay, as a fraction, so that several workers do not retry a shared device in step. Default 0.2.</summary>
    public double RestartRandomFactor { get; init; } = 0.2;

    /// <summary>A session that has served this long without breaking starts over at <see cref="RestartMinBackoff"/>. Default 60 s.</summary>
    public TimeSpan RestartResetAfter { get; init; } = TimeSpan.FromSeconds(60);
}
