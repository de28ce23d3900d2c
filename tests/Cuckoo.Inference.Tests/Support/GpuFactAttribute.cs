using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Tests.Support;

/// <summary>A test that needs a CUDA device and the CUDA provider; skipped (with the reason) elsewhere.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!File.Exists("/dev/nvidia0") && !File.Exists("/dev/nvidiactl"))
        {
            Skip = "no NVIDIA device on this machine";
        }
        else if (!SessionFactory.CudaProviderAvailable())
        {
            Skip = "ONNX Runtime has no CUDA provider here (./build.sh setup --gpu installs it)";
        }
    }
}
