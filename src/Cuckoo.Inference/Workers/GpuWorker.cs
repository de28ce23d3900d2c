using Cuckoo.Actors;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Workers;

/// <summary>
/// Serves one model on one device through one ONNX Runtime session. Tasks are validated and turned into tensors on
/// arrival (nothing invalid reaches native code) and handed to the session thread, which runs them one after another;
/// the mailbox stays free for cancels and deadlines, which set a run's terminate flag. While the next task runs, the
/// finished one is post-processed and encoded on the thread pool: the session never waits for the CPU side.
/// A failed task is answered and the worker goes on; if the session then fails its health check the worker throws,
/// and the supervisor's restart creates a new session.
/// </summary>
public sealed partial class GpuWorker : ReceiveActor
{
    private static long _sessionCounter;
    private readonly ModelCatalog _catalog;
    private readonly string _modelId;
    private readonly InferenceSettings _settings;
    private readonly Dictionary<string, Pending> _pending = [];
    private readonly Dictionary<string, (Pending Pending, Task Work)> _encoding = [];
    private ILogger _log = null!;
    private ModelRunner? _runner;
    private ProviderReport? _lastProvider;
    private string? _unavailable;
    private long _sessionNumber;
    private SessionLoop? _loop;
    private long _completed;
    private long _failed;

    public GpuWorker(ModelCatalog catalog, string modelId, InferenceSettings settings)
    {
        _catalog = catalog;
        _modelId = modelId;
        _settings = settings;
        Receive<RunInference>(OnRun);
        Receive<CancelInference>(OnCancel);
        Receive<DeadlineReached>(OnDeadline);
        Receive<InferCompleted>(OnInferred);
        Receive<InferFaulted>(OnFaulted);
        Receive<EncodeCompleted>(OnEncoded);
        Receive<EncodeFaulted>(OnEncodeFaulted);
        Receive<GetWorkerStatus>(_ => Sender?.Tell(Status(), Self));
        Receive<BreakSession>(_ => _runner?.Dispose());
    }

    public static Props Props(ModelCatalog catalog, string modelId, InferenceSettings settings) =>
        Cuckoo.Actors.Props.Create(() => new GpuWorker(catalog, modelId, settings));

    protected override void PreStart()
    {
        _log = Context.System.LoggerFactory.CreateLogger($"Cuckoo.Inference.GpuWorker[{_modelId}]");
        try
        {
            _runner = ModelRunner.Create(_catalog, _modelId, _settings, _log);
            _sessionNumber = Interlocked.Increment(ref _sessionCounter);
            _lastProvider = _runner.Provider;
            if (_settings.WarmUp)
            {
                _runner.Run(_runner.WarmUpInput());
            }

            _loop = new SessionLoop(_runner, Self, $"gpu-worker {_modelId}");
            _log.LogInformation("serving {Model} on {Provider}", _modelId, _runner.Provider.Provider);
        }
        catch (Exception e) when (e is ModelCatalogException or OnnxRuntimeException or FileNotFoundException or DllNotFoundException)
        {
            _runner?.Dispose();
            _runner = null;
            _unavailable = e.Message;
            _log.LogError("model {Model} unavailable: {Reason}", _modelId, e.Message);
        }
    }

    protected override void PreRestart(Exception reason, object? message)
    {
        if (Shutdown(InferenceFailure.WorkerRestarting, $"worker restarting: {reason.Message}"))
        {
            _runner?.Dispose();
        }

        _runner = null;
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        if (Shutdown(InferenceFailure.Cancelled, "worker stopped"))
        {
            _runner?.Dispose();
        }
        else
        {
            _log.LogError("a run of {Model} ignored termination; its session is left to the finalizer", _modelId);
        }

        _runner = null;
    }

    private WorkerStatus Status() => new(
        _modelId,
        _runner?.Provider,
        _unavailable,
        _sessionNumber,
        _pending.Values.FirstOrDefault(p => p.Started)?.Task.TaskId,
        _pending.Values.Count(p => !p.Started),
        _completed,
        _failed);
}
