using Cuckoo.Inference.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Models;

/// <summary>Creates ONNX Runtime sessions with the provider asked for, falling back to CPU with a reason.</summary>
public static class SessionFactory
{
    /// <summary>Whether this process's ONNX Runtime offers the CUDA provider (the GPU package is installed).</summary>
    public static bool CudaProviderAvailable()
    {
        OnnxRuntimeNative.Initialize();
        return OrtEnv.Instance().GetAvailableProviders().Contains(ProviderReport.Cuda);
    }

    public static (InferenceSession Session, ProviderReport Provider) Create(byte[] model, InferenceSettings settings, ILogger logger)
    {
        OnnxRuntimeNative.Initialize(settings.NativeLibraryPath);
        string? reason = null;
        if (settings.Provider == ExecutionProviderKind.Cuda)
        {
            if (!OrtEnv.Instance().GetAvailableProviders().Contains(ProviderReport.Cuda))
            {
                reason = "this ONNX Runtime has no CUDA provider (GPU miners install it with ./build.sh setup --gpu)";
            }
            else
            {
                var options = Options(settings);
                try
                {
                    options.AppendExecutionProvider_CUDA(settings.DeviceId);
                    var session = new InferenceSession(model, options);
                    logger.LogInformation("ONNX Runtime session on CUDA device {Device}", settings.DeviceId);
                    return (session, new ProviderReport(ProviderReport.Cuda, settings.DeviceId, null));
                }
                catch (OnnxRuntimeException e)
                {
                    reason = $"CUDA device {settings.DeviceId} unusable: {e.Message}";
                }
                finally
                {
                    options.Dispose();
                }
            }

            logger.LogWarning("CUDA was asked for but the session runs on CPU: {Reason}", reason);
        }

        using var cpuOptions = Options(settings);
        var cpu = new InferenceSession(model, cpuOptions);
        return (cpu, new ProviderReport(ProviderReport.Cpu, null, reason));
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

        return options;
    }
}
