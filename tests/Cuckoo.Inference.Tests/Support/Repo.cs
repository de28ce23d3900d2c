using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;

namespace Cuckoo.Inference.Tests.Support;

/// <summary>Paths into the repository the tests run from, and test images with known text.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string CatalogPath => Path.Combine(Root, "config", "models.json");

    public static ModelCatalog Catalog() => ModelCatalog.Load(CatalogPath);

    /// <summary>A 320×240 page with two lines of text; returns the PNG and the lines' inked rectangles.</summary>
    public static (byte[] Png, (int Left, int Top, int Right, int Bottom)[] Lines) TwoLinePage()
    {
        var gray = TinyFont.Blank(320, 240);
        var first = TinyFont.Draw(gray, 320, "HELLO WORLD", 20, 40, 3);
        var second = TinyFont.Draw(gray, 320, "CUCKOO 2026", 40, 140, 4);
        return (PngEncoder.Encode(new RgbImage(320, 240, 1, gray)), [first, second]);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cuckoo.Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
