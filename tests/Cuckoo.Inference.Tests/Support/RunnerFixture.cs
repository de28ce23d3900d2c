using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Tests.Support;

/// <summary>One real ONNX Runtime session per model (CPU, one intra-op thread), shared by a test class.</summary>
public sealed class RunnerFixture : IDisposable
{
    public RunnerFixture()
    {
        var catalog = Repo.Catalog();
        var settings = new InferenceSettings { IntraOpThreads = 1 };
        Cppn = ModelRunner.Create(catalog, "cuckoo-cppn", settings);
        Detector = (TextDetectionRunner)ModelRunner.Create(catalog, "ppocr-v4-det", settings);
    }

    public ModelRunner Cppn { get; }

    public TextDetectionRunner Detector { get; }

    public void Dispose()
    {
        Cppn.Dispose();
        Detector.Dispose();
    }
}
