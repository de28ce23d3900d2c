using System.Buffers;
using System.Collections.Concurrent;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Models;

/// <summary>
/// Text-to-image over a coordinate network (cuckoo-cppn): latent [1, promptDims+seedDims] and pixel coordinates
/// [width·height, 3] of (x, y, r), x and y in [−1, 1] scaled by aspect ratio, in; RGB in (0, 1) per pixel, out;
/// rounded to 8 bits and encoded as PNG.
/// </summary>
public sealed class TextToImageRunner : ModelRunner
{
    private readonly ConcurrentDictionary<(int, int), float[]> _coords = new();
    private readonly TensorSpec _latentSpec;
    private readonly TensorSpec _coordsSpec;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public TextToImageRunner(ModelSpec spec, InferenceSession session, ProviderReport provider)
        : base(spec, session, provider)
    {
        _latentSpec = spec.Inputs[0];
        _coordsSpec = spec.Inputs[1];
        _inputNames = [_latentSpec.Name, _coordsSpec.Name];
        _outputNames = [spec.Outputs[0].Name];
    }

    public override ModelInput WarmUpInput() =>
        new TextToImageInput("warm up", 0, Spec.Limits.MinWidth ?? 64, Spec.Limits.MinHeight ?? 64);

    public override PreparedInput Prepare(ModelInput input)
    {
        if (input is not TextToImageInput request)
        {
            throw new InvalidModelInputException($"model '{Spec.Id}' takes a prompt, not {input.GetType().Name}");
        }

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw new InvalidModelInputException("the prompt is empty");
        }

        if (Spec.Limits.MaxPromptLength is { } maxPrompt && request.Prompt.Length > maxPrompt)
        {
            throw new InvalidModelInputException($"the prompt has {request.Prompt.Length} characters; the limit is {maxPrompt}");
        }

        var width = request.Width ?? Spec.Defaults.Width ?? 256;
        var height = request.Height ?? Spec.Defaults.Height ?? 256;
        CheckRange("width", width, Spec.Limits.MinWidth, Spec.Limits.MaxWidth);
        CheckRange("height", height, Spec.Limits.MinHeight, Spec.Limits.MaxHeight);
        var seed = request.Seed ?? Spec.Defaults.Seed ?? 0;

        var latent = PromptEmbedding.Latent(request.Prompt, seed, Spec.Preprocessing.PromptDims!.Value, Spec.Preprocessing.SeedDims ?? 0);
        var coords = _coords.GetOrAdd((width, height), static key => Coordinates(key.Item1, key.Item2));
        long[] latentShape = [1, latent.Length];
        long[] coordsShape = [(long)width * height, 3];
        CheckTensor(_latentSpec, latentShape, latent.Length);
        CheckTensor(_coordsSpec, coordsShape, coords.Length);
        return new Prepared(width, height, latent, coords, latentShape, coordsShape);
    }

    public override InferenceResult Infer(PreparedInput input, RunOptions? options = null)
    {
        var prepared = (Prepared)input;
        using var latent = OrtValue.CreateTensorValueFromMemory(prepared.Latent, prepared.LatentShape);
        using var coords = OrtValue.CreateTensorValueFromMemory(prepared.Coords, prepared.CoordsShape);
        return RunSession(input, _inputNames, [latent, coords], _outputNames, options);
    }

    protected override ModelOutput EncodeOutput(InferenceResult result)
    {
        var prepared = (Prepared)result.Input;
        var rgb = result.Output;
        var expected = prepared.Width * prepared.Height * 3;
        if (rgb.Length != expected)
        {
            throw new InvalidOperationException($"model '{Spec.Id}' returned {rgb.Length} values, expected {expected}");
        }

        var pixels = ArrayPool<byte>.Shared.Rent(expected);
        try
        {
            ToBytes(rgb, pixels);
            var span = pixels.AsSpan(0, expected);
            return new ModelOutput(
                "image/png", PngCodec.Encode(span, prepared.Width, prepared.Height, 3), Digest.OfRgb(span, prepared.Width, prepared.Height));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    /// <summary>Rounds (0, 1) floats to bytes; NaN becomes 0 so a broken output is visible, not a crash.</summary>
    internal static void ToBytes(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            bytes[i] = float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
        }
    }

    internal static float[] Coordinates(int width, int height)
    {
        var coords = new float[width * height * 3];
        var longer = (float)Math.Max(width, height);
        var sx = width / longer;
        var sy = height / longer;
        var i = 0;
        for (var y = 0; y < height; y++)
        {
            var fy = (height == 1 ? 0f : 2f * y / (height - 1) - 1f) * sy;
            for (var x = 0; x < width; x++)
            {
                var fx = (width == 1 ? 0f : 2f * x / (width - 1) - 1f) * sx;
                coords[i++] = fx;
                coords[i++] = fy;
                coords[i++] = MathF.Sqrt(fx * fx + fy * fy);
            }
        }

        return coords;
    }

    private static void CheckRange(string what, int value, int? min, int? max)
    {
        if (value < (min ?? 1) || (max is { } m && value > m))
        {
            throw new InvalidModelInputException($"{what} {value} is outside the allowed range {min ?? 1}..{max?.ToString() ?? "∞"}");
        }
    }

    private sealed class Prepared(int width, int height, float[] latent, float[] coords, long[] latentShape, long[] coordsShape)
        : PreparedInput
    {
        public int Width { get; } = width;

        public int Height { get; } = height;

        public float[] Latent { get; } = latent;

        public float[] Coords { get; } = coords;

        public long[] LatentShape { get; } = latentShape;

        public long[] CoordsShape { get; } = coordsShape;
    }
}
