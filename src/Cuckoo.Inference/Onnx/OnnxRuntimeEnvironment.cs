using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Onnx;

/// <summary>
/// Creates the process's ONNX Runtime environment once, before any session (SessionFactory calls it first), with two
/// choices of ours:
/// <list type="bullet">
/// <item>Telemetry off. The Linux build of ONNX Runtime 1.31 collects usage telemetry by default (a device id and an
/// event database under ~/.cache/Microsoft/DeveloperTools/.onnxruntime, HTTPS uploads, and it reads
/// /proc/self/cmdline). Miners run on other people's machines, so it stays off unless the operator sets
/// <c>ORT_DISABLE_TELEMETRY=0</c>. The library reads that variable from the native environment when the environment is
/// created, and <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change the native one;
/// <c>OrtEnv.DisableTelemetryEvents()</c> comes too late (the files exist by then); hence libc's setenv.</item>
/// <item>Its log goes to a callback instead of stderr: warnings and errors are kept per thread so that a failed
/// provider can be explained (the exception only says "Failed to load shared library", the log names the missing
/// CUDA library), and commands that print one sentence on failure are not interleaved with ONNX Runtime's output.</item>
/// </list>
/// </summary>
public static class OnnxRuntimeEnvironment
{
    public const string TelemetryVariable = "ORT_DISABLE_TELEMETRY";
    private static readonly Lock Gate = new();
    private static readonly DOrtLoggingFunction Logger = OnLog;
    [ThreadStatic]
    private static List<string>? _captured;
    private static OrtEnv? _env;

    /// <summary>The environment; the first call creates it (and decides telemetry for the process).</summary>
    public static OrtEnv Instance()
    {
        lock (Gate)
        {
            if (_env is not null)
            {
                return _env;
            }

            if (OrtEnv.IsCreated)
            {
                // Someone created the default environment first (a session made without SessionFactory): use it as is.
                return _env = OrtEnv.Instance();
            }

            if (Environment.GetEnvironmentVariable(TelemetryVariable) is null)
            {
                try
                {
                    _ = SetEnv(TelemetryVariable, "1", overwrite: 0);
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
                {
                    // Not glibc: ONNX Runtime's Linux package needs glibc anyway, so this is not reached in practice.
                }
            }

            var options = new EnvironmentCreationOptions
            {
                logId = "cuckoo",
                logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                loggingFunction = Logger,
            };
            _env = OrtEnv.CreateInstanceWithOptions(ref options);
            return _env;
        }
    }

    /// <summary>Until disposed, the warnings and errors ONNX Runtime logs on this thread are added to <paramref name="into"/>.</summary>
    internal static IDisposable CaptureLog(List<string> into)
    {
        var scope = new CaptureScope(_captured);
        _captured = into;
        return scope;
    }

    private static void OnLog(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        if (severity >= OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING && _captured is { Count: < 32 } captured)
        {
            captured.Add(message);
        }
    }

    private sealed class CaptureScope(List<string>? previous) : IDisposable
    {
        public void Dispose() => _captured = previous;
    }

    [DllImport("libc.so.6", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
