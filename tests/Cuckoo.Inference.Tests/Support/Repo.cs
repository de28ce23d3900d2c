using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;

namespace Cuckoo.Inference.Tests.Support;

/// <summary>Paths into the repository the tests run from, and test images with known text.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string CatalogPath => Path.Combine(Root, "config", "models.json");

    public static ModelCatalog Catalog() => ModelCatalog.Load(CatalogPath);

    /// <summary>
    /// The repository's catalog with cuckoo-cppn allowed up to 2048×2048, so that one task keeps a session busy for
    /// about a second (long enough to be cancelled or timed out while it runs); files and digests are unchanged.
    /// </summary>
    public static ModelCatalog CatalogWithSlowTasks()
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(CatalogPath))!;
        var limits = doc["models"]![0]!["limits"]!;
        limits["maxWidth"] = 2048;
        limits["maxHeight"] = 2048;
        return ModelCatalog.Parse(doc.ToJsonString(), Path.Combine(Root, "config"));
    }

    /// <summary>A 320×240 page with two lines of text; returns the PNG and the lines' inked rectangles.</summary>
    public static (byte[] Png, (int Left, int Top, int Right, int Bottom)[] Lines) TwoLinePage()
    {
        var gray = TinyFont.Blank(320, 240);
        var first = TinyFont.Draw(gray, 320, "HELLO WORLD", 20, 40, 3);
        var second = TinyFont.Draw(gray, 320, "CUCKOO 2026", 40, 140, 4);
        return (PngCodec.Encode(new RgbImage(320, 240, 1, gray)), [first, second]);
    }

    private static string FindRoot() =>
        ModelCatalog.FindRepoRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
}
