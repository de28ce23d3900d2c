namespace Cuckoo.Inference.Workers;

/// <summary>
/// The session failed its health check after a failed task, or its warm-up run when new; thrown so that
/// <see cref="GpuWorkerSupervisor"/> re-creates the worker with a new session after a backoff.
/// </summary>
public sealed class SessionBrokenException(string modelId, Exception cause)
    : Exception($"the ONNX Runtime session of '{modelId}' is broken: {cause.Message}", cause);
