using System.Buffers;
using Cuckoo.Inference.Catalog;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Models;

/// <summary>
/// One model in one ONNX Runtime session with its pre- and post-processing. <see cref="Prepare"/> validates a task's
/// input against the catalog (kind, limits, tensor type and shape) without touching native code; <see cref="Run"/>
/// runs the session and encodes the output. Safe for one caller at a time.
/// </summary>
public abstract class ModelRunner : IDisposable
{
    private bool _disposed;

    protected ModelRunner(ModelSpec spec, InferenceSession session, ProviderReport provider)
    {
        Spec = spec;
        Session = session;
        Provider = provider;
        CheckSignature();
    }

    public ModelSpec Spec { get; }

    public ProviderReport Provider { get; }

    /// <summary>The underlying session (exposed for benchmarks that compare against a bare session loop).</summary>
    public InferenceSession Session { get; }

    /// <summary>Opens the catalog's verified model file and builds the runner for its task kind.</summary>
    public static ModelRunner Create(ModelCatalog catalog, string modelId, InferenceSettings settings)
    {
        var spec = catalog.Get(modelId);
        var bytes = catalog.OpenVerified(spec);
        var (session, provider) = SessionFactory.Create(bytes, settings);
        try
        {
            return spec.Task switch
            {
                ModelTask.TextToImage => new TextToImageRunner(spec, session, provider),
                ModelTask.TextDetection => new TextDetectionRunner(spec, session, provider),
                _ => throw new ModelCatalogException($"model '{spec.Id}': task {spec.Task} has no runner"),
            };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <exception cref="InvalidModelInputException">The input is of the wrong kind or out of limits.</exception>
    public abstract PreparedInput Prepare(ModelInput input);

    /// <summary>
    /// Runs the session on the prepared input and copies the output out of native memory; <paramref name="options"/>
    /// carries the terminate flag for deadlines and cancellation. The session is free again when this returns.
    /// </summary>
    public abstract InferenceResult Infer(PreparedInput input, RunOptions? options = null);

    /// <summary>
    /// Post-processing and encoding; touches no native state, so it may overlap the next <see cref="Infer"/>.
    /// Consumes <paramref name="result"/> (its pooled buffer is returned).
    /// </summary>
    public ModelOutput Encode(InferenceResult result)
    {
        try
        {
            return EncodeOutput(result);
        }
        finally
        {
            result.Dispose();
        }
    }

    public ModelOutput Run(PreparedInput input, RunOptions? options = null) => Encode(Infer(input, options));

    protected abstract ModelOutput EncodeOutput(InferenceResult result);

    /// <summary>Runs the session and copies its first output into a pooled buffer.</summary>
    protected InferenceResult RunSession(
        PreparedInput input, string[] inputNames, IReadOnlyCollection<OrtValue> inputs, string[] outputNames, RunOptions? options)
    {
        ThrowIfDisposed();
        using var ownOptions = options is null ? new RunOptions() : null;
        using var outputs = Session.Run(options ?? ownOptions!, inputNames, inputs, outputNames);
        var data = outputs[0].GetTensorDataAsSpan<float>();
        var buffer = ArrayPool<float>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        return new InferenceResult(input, buffer, data.Length);
    }

    /// <summary>A small valid input, used for the warm-up run and the health check after a failure.</summary>
    public abstract ModelInput WarmUpInput();

    public ModelOutput Run(ModelInput input, RunOptions? options = null)
    {
        using var prepared = Prepare(input);
        return Run(prepared, options);
    }

    /// <summary>Checks a tensor against its catalog entry before it goes to native code.</summary>
    protected static void CheckTensor(TensorSpec spec, ReadOnlySpan<long> shape, long elements)
    {
        if (shape.Length != spec.Shape.Count)
        {
            throw new InvalidModelInputException($"tensor '{spec.Name}' needs rank {spec.Shape.Count}, got {shape.Length}");
        }

        long product = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] <= 0 || (spec.Shape[i] > 0 && spec.Shape[i] != shape[i]))
            {
                throw new InvalidModelInputException(
                    $"tensor '{spec.Name}' needs shape [{string.Join(",", spec.Shape)}], got [{string.Join(",", shape.ToArray())}]");
            }

            product *= shape[i];
        }

        if (product != elements)
        {
            throw new InvalidModelInputException($"tensor '{spec.Name}' shape holds {product} elements but {elements} were given");
        }
    }

    /// <summary>The catalog's tensor names, types and fixed dimensions must agree with the model file.</summary>
    private void CheckSignature()
    {
        void Compare(IReadOnlyList<TensorSpec> specs, IReadOnlyDictionary<string, NodeMetadata> actual, string what)
        {
            foreach (var spec in specs)
            {
                if (!actual.TryGetValue(spec.Name, out var meta))
                {
                    throw new ModelCatalogException(
                        $"model '{Spec.Id}': the catalog names {what} '{spec.Name}' but the file has {string.Join(", ", actual.Keys)}");
                }

                var dims = meta.Dimensions;
                var compatible = meta.ElementType == typeof(float) && dims.Length == spec.Shape.Count
                    && dims.Select((d, i) => d <= 0 || spec.Shape[i] <= 0 || d == spec.Shape[i]).All(ok => ok);
                if (!compatible)
                {
                    throw new ModelCatalogException(
                        $"model '{Spec.Id}': {what} '{spec.Name}' is {meta.ElementType.Name}[{string.Join(",", dims)}] in the file, "
                        + $"the catalog says {spec.Type}[{string.Join(",", spec.Shape)}]");
                }
            }
        }

        Compare(Spec.Inputs, Session.InputMetadata, "input");
        Compare(Spec.Outputs, Session.OutputMetadata, "output");
    }

    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Session.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>A validated input turned into tensors, ready for <see cref="ModelRunner.Infer"/>.</summary>
public abstract class PreparedInput : IDisposable
{
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>A session's raw output, copied to a pooled managed buffer, with the input it came from.</summary>
public sealed class InferenceResult : IDisposable
{
    private float[]? _buffer;
    private readonly int _length;

    internal InferenceResult(PreparedInput input, float[] buffer, int length)
    {
        Input = input;
        _buffer = buffer;
        _length = length;
    }

    public PreparedInput Input { get; }

    public ReadOnlySpan<float> Output => (_buffer ?? throw new ObjectDisposedException(nameof(InferenceResult))).AsSpan(0, _length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
