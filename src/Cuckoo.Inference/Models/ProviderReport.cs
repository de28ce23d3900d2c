namespace Cuckoo.Inference.Models;

/// <summary>The execution provider a session really uses; <see cref="FallbackReason"/> says why CUDA was not used when asked for.</summary>
public sealed record ProviderReport(string Provider, int? DeviceId, string? FallbackReason)
{
    public const string Cpu = "CPUExecutionProvider";
    public const string Cuda = "CUDAExecutionProvider";

    public bool IsGpu => Provider == Cuda;
}
