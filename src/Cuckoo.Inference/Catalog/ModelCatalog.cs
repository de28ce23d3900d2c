using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cuckoo.Inference.Catalog;

/// <summary>
/// The models a node knows (config/models.json). Loading checks the catalog's shape; <see cref="OpenVerified"/>
/// checks a model file's sha256 before anyone may load it.
/// </summary>
public sealed class ModelCatalog
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    private readonly Dictionary<string, ModelSpec> _models;

    private ModelCatalog(string baseDirectory, IReadOnlyList<ModelSpec> models)
    {
        BaseDirectory = baseDirectory;
        Models = models;
        _models = models.ToDictionary(m => m.Id, StringComparer.Ordinal);
    }

    /// <summary>The folder model file paths are relative to (the catalog file's folder).</summary>
    public string BaseDirectory { get; }

    public IReadOnlyList<ModelSpec> Models { get; }

    public static ModelCatalog Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new ModelCatalogException($"model catalog {path} does not exist");
        }

        return Parse(System.IO.File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    public static ModelCatalog Parse(string json, string baseDirectory, string source = "catalog")
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ModelCatalogException($"{source} is not a valid model catalog: {e.Message}", e);
        }

        if (document?.Models is null || document.Models.Count == 0)
        {
            throw new ModelCatalogException($"{source} lists no models");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in document.Models)
        {
            Validate(model, source);
            if (!seen.Add(model.Id))
            {
                throw new ModelCatalogException($"{source} lists model '{model.Id}' twice");
            }
        }

        return new ModelCatalog(baseDirectory, document.Models);
    }

    /// <summary>The model with this id.</summary>
    /// <exception cref="UnknownModelException">The catalog does not list it.</exception>
    public ModelSpec Get(string id) =>
        _models.TryGetValue(id, out var spec) ? spec : throw new UnknownModelException(id, _models.Keys.Order(StringComparer.Ordinal));

    public bool Contains(string id) => _models.ContainsKey(id);

    public string PathOf(ModelSpec spec) => Path.GetFullPath(Path.Combine(BaseDirectory, spec.File));

    /// <summary>Reads the model file and returns its bytes once their sha256 matches the catalog.</summary>
    /// <exception cref="ModelIntegrityException">The digest differs.</exception>
    /// <exception cref="ModelCatalogException">The file is missing.</exception>
    public byte[] OpenVerified(ModelSpec spec)
    {
        var path = PathOf(spec);
        if (!System.IO.File.Exists(path))
        {
            throw new ModelCatalogException($"model '{spec.Id}': file {path} does not exist (run ./build.sh setup)");
        }

        var bytes = System.IO.File.ReadAllBytes(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, spec.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelIntegrityException(spec.Id, path, spec.Sha256.ToLowerInvariant(), actual);
        }

        return bytes;
    }

    /// <summary>config/models.json under CUCKOO_HOME, else under the working directory, else of the repository this program runs from.</summary>
    public static string DefaultPath()
    {
        if (Environment.GetEnvironmentVariable("CUCKOO_HOME") is { Length: > 0 } home
            && System.IO.File.Exists(Path.Combine(home, "config", "models.json")))
        {
            return Path.Combine(home, "config", "models.json");
        }

        var local = Path.Combine(Environment.CurrentDirectory, "config", "models.json");
        if (System.IO.File.Exists(local))
        {
            return local;
        }

        var repo = FindRepoRoot(AppContext.BaseDirectory);
        return repo is null ? local : Path.Combine(repo, "config", "models.json");
    }

    /// <summary>
    /// The nearest folder at or above <paramref name="start"/> that is a checkout of this repository: it holds
    /// Directory.Packages.props and config/models.json (the solution file's name may change; these do not).
    /// </summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))
                && System.IO.File.Exists(Path.Combine(dir.FullName, "config", "models.json")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static void Validate(ModelSpec? model, string source)
    {
        void Require([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool ok, string what)
        {
            if (!ok)
            {
                throw new ModelCatalogException($"{source}: model '{model?.Id ?? "?"}' {what}");
            }
        }

        Require(model is not null, "is null");
        Require(!string.IsNullOrWhiteSpace(model!.Id), "has no id");
        Require(!string.IsNullOrWhiteSpace(model.File), "has no file");
        Require(model.Sha256 is { Length: 64 } && model.Sha256.All(Uri.IsHexDigit), "needs a sha256 of 64 hex digits");
        Require(model.Inputs is { Count: > 0 } && model.Outputs is { Count: > 0 }, "needs inputs and outputs");
        Require(model.Preprocessing is not null && model.Postprocessing is not null, "needs preprocessing and postprocessing");
        Require(model.Defaults is not null && model.Limits is not null, "needs defaults and limits (may be empty objects)");
        foreach (var tensor in model.Inputs.Concat(model.Outputs))
        {
            Require(tensor.Type == "float32", $"tensor '{tensor.Name}' has type '{tensor.Type}'; only float32 is supported");
            Require(tensor.Shape is { Count: > 0 } && tensor.Shape.All(d => d == -1 || d > 0), $"tensor '{tensor.Name}' needs a shape of positive sizes or -1");
        }

        if (model.Verification is { } verification)
        {
            Require(Enum.IsDefined(verification.Kind), "has an unknown verification kind");
            if (verification.Kind == VerificationKind.Tolerance)
            {
                Require(verification.MaxMeanAbsoluteDifference is >= 0 and <= 255,
                    "(verification tolerance) needs maxMeanAbsoluteDifference between 0 and 255");
                Require(model.Postprocessing.Kind == "rgb-png", "(verification tolerance) compares decoded images: it needs postprocessing rgb-png");
            }
            else
            {
                Require(verification.MaxMeanAbsoluteDifference is null, "(verification digest) takes no maxMeanAbsoluteDifference");
            }
        }

        switch (model.Task)
        {
            case ModelTask.TextToImage:
                Require(model.Preprocessing.PromptDims > 0 && model.Preprocessing.SeedDims >= 0, "needs preprocessing.promptDims and seedDims");
                Require(model.Inputs.Count == 2 && model.Outputs.Count == 1, "(text-to-image) needs inputs [latent, coords] and one output");
                break;
            case ModelTask.TextDetection:
                Require(model.Preprocessing.Mean is { Count: 3 } && model.Preprocessing.Std is { Count: 3 }, "needs preprocessing.mean and std of 3 values");
                Require(model.Preprocessing.Std!.All(s => s > 0), "needs positive preprocessing.std");
                Require(model.Preprocessing.LimitSideLength > 0 && model.Preprocessing.MultipleOf > 0, "needs preprocessing.limitSideLength and multipleOf");
                Require(model.Inputs.Count == 1 && model.Outputs.Count == 1, "(text-detection) needs one input and one output");
                break;
        }
    }

    private sealed record CatalogDocument(List<ModelSpec> Models);
}
