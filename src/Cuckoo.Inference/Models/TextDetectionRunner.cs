using System.Buffers;
using System.Text.Json;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Imaging;
using Cuckoo.Inference.Ocr;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Models;

/// <summary>
/// Text detection (PaddleOCR v4 det): PNG in; resized so the longer side is at most limitSideLength, both sides
/// rounded to multipleOf, normalized per channel; probability map out; DB boxes as canonical JSON.
/// </summary>
public sealed class TextDetectionRunner : ModelRunner
{
    private static readonly byte[] WarmUpPng = PngCodec.Encode(new RgbImage(64, 64, 1, Enumerable.Repeat((byte)255, 64 * 64).ToArray()));
    private readonly TensorSpec _inputSpec;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int[] _channelMap;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly DbOptions _db;

    public TextDetectionRunner(ModelSpec spec, InferenceSession session, ProviderReport provider)
        : base(spec, session, provider)
    {
        _inputSpec = spec.Inputs[0];
        _inputNames = [_inputSpec.Name];
        _outputNames = [spec.Outputs[0].Name];
        _channelMap = string.Equals(spec.Preprocessing.ChannelOrder, "bgr", StringComparison.OrdinalIgnoreCase) ? [2, 1, 0] : [0, 1, 2];
        _mean = [.. spec.Preprocessing.Mean!];
        _std = [.. spec.Preprocessing.Std!];
        var post = spec.Postprocessing;
        var defaults = new DbOptions();
        _db = new DbOptions(
            post.Threshold ?? defaults.Threshold,
            post.BoxThreshold ?? defaults.BoxThreshold,
            post.UnclipRatio ?? defaults.UnclipRatio,
            post.MaxCandidates ?? defaults.MaxCandidates,
            post.MinSize ?? defaults.MinSize);
    }

    public override ModelInput WarmUpInput() => new ImageInput(WarmUpPng);

    /// <summary>The network's input size for a source image: PaddleOCR's "max" side limit, rounded to the multiple.</summary>
    public (int Width, int Height) NetworkSize(int width, int height)
    {
        var limit = Spec.Preprocessing.LimitSideLength!.Value;
        var multiple = Spec.Preprocessing.MultipleOf!.Value;
        var ratio = Math.Max(width, height) > limit ? (double)limit / Math.Max(width, height) : 1.0;
        int Round(int side) => Math.Max((int)(Math.Round((int)(side * ratio) / (double)multiple, MidpointRounding.ToEven) * multiple), multiple);
        return (Round(width), Round(height));
    }

    public override PreparedInput Prepare(ModelInput input)
    {
        if (input is not ImageInput { Png: { } png })
        {
            throw new InvalidModelInputException($"model '{Spec.Id}' takes an image, not {input.GetType().Name}");
        }

        var limits = Spec.Limits;
        if (limits.MaxImageBytes is { } maxBytes && png.Length > maxBytes)
        {
            throw new InvalidModelInputException($"the image has {png.Length} bytes; the limit is {maxBytes}");
        }

        // The header's size is checked before any pixel is decoded: a small file may claim a huge image.
        var sizeLimits = new ImageLimits(limits.MinWidth ?? 1, limits.MinHeight ?? 1, limits.MaxWidth ?? 8192, limits.MaxHeight ?? 8192);
        RgbImage image;
        try
        {
            image = PngCodec.Decode(png, sizeLimits);
        }
        catch (ImageSizeException e)
        {
            throw new InvalidModelInputException(e.Message, e);
        }
        catch (InvalidImageException e)
        {
            throw new InvalidModelInputException($"the image cannot be read: {e.Message}", e);
        }

        var source = image.Channels == 4 ? image.ToRgb() : image;
        var (width, height) = NetworkSize(source.Width, source.Height);
        var length = 3 * width * height;
        long[] shape = [1, 3, height, width];
        CheckTensor(_inputSpec, shape, length);
        var tensor = ArrayPool<float>.Shared.Rent(length);
        ImageResize.ToNormalizedPlanes(source, width, height, _channelMap, _mean, _std, tensor.AsSpan(0, length));
        return new Prepared(source.Width, source.Height, width, height, tensor, length, shape);
    }

    public override InferenceResult Infer(PreparedInput input, RunOptions? options = null)
    {
        var prepared = (Prepared)input;
        using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, prepared.Tensor, prepared.Shape);
        return RunSession(input, _inputNames, [tensor], _outputNames, options);
    }

    protected override ModelOutput EncodeOutput(InferenceResult result)
    {
        var prepared = (Prepared)result.Input;
        var boxes = DbPostProcessor.Detect(result.Output, prepared.MapWidth, prepared.MapHeight, prepared.SourceWidth, prepared.SourceHeight, _db);
        var json = ToJson(prepared.SourceWidth, prepared.SourceHeight, boxes);
        return new ModelOutput("application/json", json, Digest.Sha256Hex(json));
    }

    /// <summary>
    /// Canonical JSON: {"width","height","boxes":[{"points":[[x,y]×4],"score"}]} in that order, no whitespace,
    /// integer corners, scores rounded to 4 decimals.
    /// </summary>
    public static byte[] ToJson(int width, int height, IReadOnlyList<TextBox> boxes)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("width", width);
            writer.WriteNumber("height", height);
            writer.WriteStartArray("boxes");
            foreach (var box in boxes)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("points");
                foreach (var (x, y) in box.Points)
                {
                    writer.WriteStartArray();
                    writer.WriteNumberValue(x);
                    writer.WriteNumberValue(y);
                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
                writer.WriteNumber("score", Math.Round((double)box.Score, 4, MidpointRounding.ToEven));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private sealed class Prepared(int sourceWidth, int sourceHeight, int mapWidth, int mapHeight, float[] pooled, int length, long[] shape)
        : PreparedInput
    {
        private float[]? _pooled = pooled;

        public int SourceWidth { get; } = sourceWidth;

        public int SourceHeight { get; } = sourceHeight;

        public int MapWidth { get; } = mapWidth;

        public int MapHeight { get; } = mapHeight;

        public Memory<float> Tensor => (_pooled ?? throw new ObjectDisposedException(nameof(Prepared))).AsMemory(0, length);

        public long[] Shape { get; } = shape;

        public override void Dispose()
        {
            if (Interlocked.Exchange(ref _pooled, null) is { } buffer)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }

            base.Dispose();
        }
    }
}
