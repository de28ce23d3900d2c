using Cuckoo.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Models;

/// <summary>
/// Creates ONNX Runtime sessions with the provider asked for, falling back to CPU with the reason. CUDA is detected by
/// creating the session: <c>GetAvailableProviders()</c> lists CUDA wherever the package is installed, GPU or not.
/// </summary>
public static class SessionFactory
{
    /// <summary>What a miner must install for the CUDA provider of this ONNX Runtime (1.31), named in fallback reasons.</summary>
    public const string CudaRequirement = "ONNX Runtime 1.31's CUDA provider needs an NVIDIA driver, CUDA 13 and cuDNN 9 (see docs/inference.md)";

    public static (InferenceSession Session, ProviderReport Provider) Create(byte[] model, InferenceSettings settings)
    {
        OnnxRuntimeEnvironment.Instance();
        string? reason = null;
        if (settings.Provider == ExecutionProviderKind.Cuda)
        {
            var log = new List<string>();
            using (OnnxRuntimeEnvironment.CaptureLog(log))
            {
                using var options = Options(settings);
                try
                {
                    options.AppendExecutionProvider_CUDA(settings.DeviceId);
                    return (new InferenceSession(model, options), new ProviderReport(ProviderReport.Cuda, settings.DeviceId, null));
                }
                catch (OnnxRuntimeException e)
                {
                    reason = $"CUDA device {settings.DeviceId} is not usable ({Explain(e, log)}); {CudaRequirement}";
                }
            }
        }

        using var cpuOptions = Options(settings);
        return (new InferenceSession(model, cpuOptions), new ProviderReport(ProviderReport.Cpu, null, reason));
    }

    /// <summary>The exception's message, or the more telling log line ONNX Runtime wrote (it names the missing library).</summary>
    private static string Explain(OnnxRuntimeException e, List<string> log)
    {
        var detail = log.LastOrDefault(line => line.Contains("cannot open shared object file", StringComparison.Ordinal))
            ?? log.LastOrDefault(line => line.Contains("CUDA", StringComparison.OrdinalIgnoreCase));
        if (detail is null)
        {
            return e.Message;
        }

        // "Failed to load library …/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open …": keep the cause.
        var cause = detail.LastIndexOf("with error: ", StringComparison.Ordinal);
        return cause >= 0 ? detail[(cause + "with error: ".Length)..].Trim() : detail.Trim();
    }

    private static SessionOptions Options(InferenceSettings settings)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (settings.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = settings.IntraOpThreads;
        }
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");

        return options;
    }
}
