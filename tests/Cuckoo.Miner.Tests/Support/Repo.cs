using System.Text.Json.Nodes;
using Cuckoo.Inference.Catalog;

namespace Cuckoo.Miner.Tests.Support;

/// <summary>The repository's model catalog (config/models.json), as the tests run it from the build output.</summary>
public static class Repo
{
    public static string Root { get; } = ModelCatalog.FindRepoRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);

    private static string CatalogPath => Path.Combine(Root, "config", "models.json");

    public static ModelCatalog Catalog() => ModelCatalog.Load(CatalogPath);

    /// <summary>The catalog with cuckoo-cppn allowed up to 2048×2048, so that one task keeps a session busy long enough to be revoked while it runs.</summary>
    public static ModelCatalog CatalogWithSlowTasks()
    {
        var doc = JsonNode.Parse(File.ReadAllText(CatalogPath))!;
        var limits = doc["models"]!.AsArray().First(m => (string?)m!["id"] == "cuckoo-cppn")!["limits"]!;
        limits["maxWidth"] = 2048;
        limits["maxHeight"] = 2048;
        return ModelCatalog.Parse(doc.ToJsonString(), Path.Combine(Root, "config"));
    }
}
