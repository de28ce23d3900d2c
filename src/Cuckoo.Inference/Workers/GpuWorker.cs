using Cuckoo.Actors;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Workers;

/// <summary>
/// Serves one model on one device through one ONNX Runtime session. Tasks are validated and turned into tensors on
/// arrival (nothing invalid reaches native code), queued, and run one at a time on the thread pool so the mailbox stays
/// free for cancels and deadlines, which set the run's terminate flag. As soon as a run returns the next one starts,
/// while the finished one is post-processed and encoded beside it: the session never waits for the CPU side.
/// A failed task is answered and the worker goes on; if the session then fails its health check the worker throws,
/// and the supervisor's restart creates a new session.
/// </summary>
public sealed partial class GpuWorker : ReceiveActor
{
    private static long _sessionCounter;
    private readonly ModelCatalog _catalog;
    private readonly string _modelId;
    private readonly InferenceSettings _settings;
    private readonly Queue<Pending> _queue = new();
    private readonly Dictionary<string, (Pending Pending, Task Work)> _encoding = [];
    private ILogger _log = null!;
    private ModelRunner? _runner;
    private ProviderReport? _lastProvider;
    private string? _unavailable;
    private long _sessionNumber;
    private Running? _running;
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
        FailAll(InferenceFailure.WorkerRestarting, $"worker restarting: {reason.Message}");
        _runner?.Dispose();
        _runner = null;
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        // A run still in flight uses the session natively: terminate it and let it return before disposing.
        var idle = true;
        if (_running is { } running)
        {
            running.Pending.Options.Terminate = true;
            idle = ((IAsyncResult)running.Work).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10));
        }

        Task.WaitAny([Task.WhenAll(_encoding.Values.Select(e => e.Work)), Task.Delay(TimeSpan.FromSeconds(10))]);

        FailAll(InferenceFailure.Cancelled, "worker stopped");
        if (idle)
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
        _modelId, _runner?.Provider, _unavailable, _sessionNumber, _running?.Pending.Task.TaskId, _queue.Count + _encoding.Count, _completed, _failed);
}
