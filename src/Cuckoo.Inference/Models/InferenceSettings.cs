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

    /// <summary>Deadline of a task that names none. Default 60 s.</summary>
    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tasks a worker holds beyond the running one before it refuses more. Default 16.</summary>
    public int MaxQueuedTasks { get; init; } = 16;

    /// <summary>Run the model once at start so the first task does not pay for lazy initialization. Default true.</summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>Explicit path of libonnxruntime.so; null searches (see OnnxRuntimeNative). Default null.</summary>
    public string? NativeLibraryPath { get; init; }
}
