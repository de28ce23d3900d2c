namespace Cuckoo.Inference.Workers;

/// <summary>The session failed its health check after a failed task; thrown so the supervisor restarts the worker.</summary>
public sealed class SessionBrokenException(string modelId, Exception cause)
    : Exception($"the ONNX Runtime session of '{modelId}' is broken: {cause.Message}", cause);
