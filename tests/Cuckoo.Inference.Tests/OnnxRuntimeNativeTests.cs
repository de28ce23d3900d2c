using Cuckoo.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Tests;

public sealed class OnnxRuntimeNativeTests
{
    [Fact]
    public void Resolver_loads_a_runtime_that_offers_the_cpu_provider()
    {
        var path = OnnxRuntimeNative.Initialize();
        Assert.EndsWith("libonnxruntime.so", path);
        Assert.Contains("CPUExecutionProvider", OrtEnv.Instance().GetAvailableProviders());
    }

    [Fact]
    public void Configured_path_that_does_not_exist_is_reported_with_where_it_looked()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "libonnxruntime.so");
        var e = Assert.Throws<FileNotFoundException>(() => OnnxRuntimeNative.Locate(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains(OnnxRuntimeNative.EnvironmentVariable, e.Message);
    }

    [Fact]
    public void Configured_folder_is_searched_for_the_library()
    {
        var folder = Path.GetDirectoryName(OnnxRuntimeNative.Initialize())!;
        Assert.Equal(Path.Combine(folder, "libonnxruntime.so"), OnnxRuntimeNative.Locate(folder));
    }
}
