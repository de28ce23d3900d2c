using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Tests.Support;

/// <summary>
/// A test that needs a usable CUDA device; skipped elsewhere with the reason. Usable means a CUDA session can be
/// created: the CUDA provider is listed by ONNX Runtime even where no GPU, CUDA 13 or cuDNN 9 is installed.
/// </summary>
public sealed class GpuFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(ProbeCuda);

    public GpuFactAttribute()
    {
        if (Reason.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? ProbeCuda()
    {
        if (!File.Exists("/dev/nvidia0") && !File.Exists("/dev/nvidiactl"))
        {
            return "no NVIDIA device on this machine (/dev/nvidia0); the CUDA rows run on a GPU miner";
        }

        var catalog = Repo.Catalog();
        var model = catalog.OpenVerified(catalog.Get("cuckoo-cppn"));
        var (session, provider) = SessionFactory.Create(model, new InferenceSettings { Provider = ExecutionProviderKind.Cuda });
        session.Dispose();
        return provider.IsGpu ? null : $"a CUDA session cannot be created: {provider.FallbackReason}";
    }
}
