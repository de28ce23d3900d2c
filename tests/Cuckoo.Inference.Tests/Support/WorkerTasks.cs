using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;

namespace Cuckoo.Inference.Tests.Support;

/// <summary>Tasks the worker tests send.</summary>
public static class WorkerTasks
{
    /// <summary>Settings with one intra-op thread, so that runs take the same time whatever else the machine does.</summary>
    public static readonly InferenceSettings OneThread = new() { IntraOpThreads = 1 };

    /// <summary>About a second of work for one session (2048×2048, see <see cref="Repo.CatalogWithSlowTasks"/>).</summary>
    public static RunInference Slow(string id, TimeSpan? deadline = null) =>
        new(id, "cuckoo-cppn", new TextToImageInput("a slow and large image", 3, 2048, 2048), deadline);

    public static RunInference Small(string id, string prompt = "cat", TimeSpan? deadline = null) =>
        new(id, "cuckoo-cppn", new TextToImageInput(prompt, 0, 64, 64), deadline);
}
