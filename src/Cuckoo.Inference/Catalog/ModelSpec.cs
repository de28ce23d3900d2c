namespace Cuckoo.Inference.Catalog;

/// <summary>What a model does, which decides its pre- and post-processing.</summary>
public enum ModelTask
{
    TextToImage,
    TextDetection,
}

/// <summary>One model in config/models.json. Paths are relative to the catalog file's folder.</summary>
public sealed record ModelSpec(
    string Id,
    string File,
    string Sha256,
    ModelTask Task,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    PreprocessingSpec Preprocessing,
    PostprocessingSpec Postprocessing,
    ModelDefaults Defaults,
    ModelLimits Limits,
    string? Description = null,
    VerificationSpec? Verification = null)
{
    /// <summary>How two miners' outputs of this model are compared: <see cref="Verification"/>, or digest equality when the catalog says nothing.</summary>
    public VerificationSpec VerificationOrDefault => Verification ?? VerificationSpec.Digest;
}

/// <summary>How results of a model are checked against each other.</summary>
public enum VerificationKind
{
    /// <summary>Outputs agree only when their digests are equal: the model is deterministic on every runtime.</summary>
    Digest,

    /// <summary>Outputs (PNG images) agree when their decoded pixels differ by at most a mean absolute difference per channel.</summary>
    Tolerance,
}

/// <summary>
/// The catalog's <c>verification</c> of a model: <c>{ "kind": "digest" }</c> (the default), or
/// <c>{ "kind": "tolerance", "maxMeanAbsoluteDifference": 2.0 }</c> for a model whose float math differs slightly between
/// runtimes (CUDA against CPU), compared on decoded pixels in 0..255.
/// </summary>
public sealed record VerificationSpec(VerificationKind Kind, double? MaxMeanAbsoluteDifference = null)
{
    public static VerificationSpec Digest { get; } = new(VerificationKind.Digest);
}

/// <summary>A model input or output: element type (float32 only today) and shape, -1 for a dynamic dimension.</summary>
public sealed record TensorSpec(string Name, string Type, IReadOnlyList<long> Shape);

/// <summary>
/// How inputs become tensors. Text-to-image: a prompt embedding of <see cref="PromptDims"/> and seed noise of
/// <see cref="SeedDims"/>. Text detection: resize so the longer side is at most <see cref="LimitSideLength"/>
/// (rounded to <see cref="MultipleOf"/>), then (pixel/255 − mean)/std per channel in <see cref="ChannelOrder"/>.
/// </summary>
public sealed record PreprocessingSpec(
    string Kind,
    int? PromptDims = null,
    int? SeedDims = null,
    IReadOnlyList<float>? Mean = null,
    IReadOnlyList<float>? Std = null,
    string? ChannelOrder = null,
    int? LimitSideLength = null,
    int? MultipleOf = null);

/// <summary>
/// How outputs become the result. "rgb-png": floats in [0,1] to an 8-bit PNG. "db": differentiable-binarization
/// boxes — <see cref="Threshold"/> binarizes the probability map, <see cref="BoxThreshold"/> drops boxes with a
/// lower mean probability, <see cref="UnclipRatio"/> grows each box by area×ratio/perimeter.
/// </summary>
public sealed record PostprocessingSpec(
    string Kind,
    float? Threshold = null,
    float? BoxThreshold = null,
    float? UnclipRatio = null,
    int? MaxCandidates = null,
    int? MinSize = null);

/// <summary>Parameters a task may leave out.</summary>
public sealed record ModelDefaults(int? Width = null, int? Height = null, long? Seed = null);

/// <summary>Input limits checked before anything reaches native code.</summary>
public sealed record ModelLimits(
    int? MaxPromptLength = null,
    int? MinWidth = null,
    int? MaxWidth = null,
    int? MinHeight = null,
    int? MaxHeight = null,
    int? MaxImageBytes = null);
