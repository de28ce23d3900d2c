using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Tests.Support;

namespace Cuckoo.Inference.Tests;

public sealed class CatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cuckoo-catalog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Repository_catalog_lists_both_models_and_their_files_match()
    {
        var catalog = Repo.Catalog();
        Assert.Equal(["cuckoo-cppn", "ppocr-v4-det"], catalog.Models.Select(m => m.Id));
        Assert.Equal(ModelTask.TextToImage, catalog.Get("cuckoo-cppn").Task);
        Assert.Equal(ModelTask.TextDetection, catalog.Get("ppocr-v4-det").Task);
        foreach (var model in catalog.Models)
        {
            Assert.NotEmpty(catalog.OpenVerified(model));
        }
    }

    [Fact]
    public void Unknown_model_is_rejected_with_the_known_ids()
    {
        var e = Assert.Throws<UnknownModelException>(() => Repo.Catalog().Get("stable-diffusion"));
        Assert.Contains("unknown model 'stable-diffusion'", e.Message);
        Assert.Contains("cuckoo-cppn", e.Message);
    }

    [Fact]
    public void Model_file_with_a_different_digest_is_refused()
    {
        var catalog = CopyCatalogWithModel(tamper: true);
        var spec = catalog.Get("cuckoo-cppn");
        var e = Assert.Throws<ModelIntegrityException>(() => catalog.OpenVerified(spec));
        Assert.Contains("refused", e.Message);
        Assert.Equal(spec.Sha256, e.Expected);
        Assert.NotEqual(e.Expected, e.Actual);
        Assert.Throws<ModelIntegrityException>(() => ModelRunner.Create(catalog, "cuckoo-cppn", new InferenceSettings()));
    }

    [Fact]
    public void Missing_model_file_is_reported_with_its_path()
    {
        var catalog = ModelCatalog.Parse(File.ReadAllText(Repo.CatalogPath), _dir);
        var e = Assert.Throws<ModelCatalogException>(() => catalog.OpenVerified(catalog.Get("cuckoo-cppn")));
        Assert.Contains("does not exist", e.Message);
    }

    [Theory]
    [InlineData("{", "not a valid model catalog")]
    [InlineData("""{"models": []}""", "lists no models")]
    [InlineData("""{"models": [{"id": "a", "file": "a.onnx", "sha256": "xyz", "task": "text-to-image"}]}""", "sha256")]
    [InlineData("""{"models": [{"id": "a", "file": "a.onnx", "sha256": "00", "task": "music"}]}""", "not a valid model catalog")]
    public void Malformed_catalogs_are_rejected_with_a_reason(string json, string expected)
    {
        var e = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(json, _dir));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Duplicate_ids_and_unsupported_tensor_types_are_rejected()
    {
        var entry = File.ReadAllText(Repo.CatalogPath);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(entry)!;
        var models = doc["models"]!.AsArray();
        models.Add(models[0]!.DeepClone());
        Assert.Contains("twice", Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(doc.ToJsonString(), _dir)).Message);

        models.RemoveAt(2);
        models[0]!["inputs"]![0]!["type"] = "int64";
        Assert.Contains("only float32", Assert.Throws<ModelCatalogException>(() => ModelCatalog.Parse(doc.ToJsonString(), _dir)).Message);
    }

    [Fact]
    public void Catalog_that_disagrees_with_the_model_file_is_refused_at_load()
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repo.CatalogPath))!;
        doc["models"]![0]!["inputs"]![0]!["name"] = "latent";
        var catalog = ModelCatalog.Parse(doc.ToJsonString(), Path.Combine(Repo.Root, "config"));
        var e = Assert.Throws<ModelCatalogException>(() => ModelRunner.Create(catalog, "cuckoo-cppn", new InferenceSettings { WarmUp = false }));
        Assert.Contains("'latent'", e.Message);
    }

    private ModelCatalog CopyCatalogWithModel(bool tamper)
    {
        var catalog = Repo.Catalog();
        var bytes = File.ReadAllBytes(catalog.PathOf(catalog.Get("cuckoo-cppn")));
        if (tamper)
        {
            bytes[^1] ^= 0x01;
        }

        Directory.CreateDirectory(Path.Combine(_dir, "models"));
        Directory.CreateDirectory(Path.Combine(_dir, "config"));
        File.WriteAllBytes(Path.Combine(_dir, "models", "cuckoo-cppn.onnx"), bytes);
        File.WriteAllText(Path.Combine(_dir, "config", "models.json"), File.ReadAllText(Repo.CatalogPath));
        return ModelCatalog.Load(Path.Combine(_dir, "config", "models.json"));
    }
}
