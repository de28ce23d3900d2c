namespace Cuckoo.Inference.Catalog;

/// <summary>The catalog file is missing or malformed, or a model in it cannot be used; the message says which and why.</summary>
public class ModelCatalogException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A task named a model the catalog does not list.</summary>
public sealed class UnknownModelException(string modelId, IEnumerable<string> known)
    : ModelCatalogException($"unknown model '{modelId}'; this catalog has: {string.Join(", ", known)}")
{
    public string ModelId { get; } = modelId;
}

/// <summary>A model file's sha256 differs from the catalog's: the file was changed or corrupted and is refused.</summary>
public sealed class ModelIntegrityException(string modelId, string path, string expected, string actual)
    : ModelCatalogException($"model '{modelId}' refused: {path} has sha256 {actual}, the catalog expects {expected}")
{
    public string Expected { get; } = expected;

    public string Actual { get; } = actual;
}
