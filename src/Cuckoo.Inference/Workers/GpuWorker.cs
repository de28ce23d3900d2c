using Akka.Actor;
using Akka.Event;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Workers;

/// <summary>
/// Serves one model on one device through one ONNX Runtime session. The session is created and warmed up off the
/// actor thread at start; tasks that arrive meanwhile are accepted and wait for it. Tasks are validated and turned
/// into tensors on arrival (nothing invalid reaches native code) and handed to the session thread, which runs them one
/// after another; the mailbox stays free for cancels and per-task deadline timers, which set a run's terminate flag.
/// While the next task runs, the finished one is post-processed and encoded on the thread pool and piped back.
/// A failed task is answered and the worker goes on; if the session then fails its health check, the worker answers
/// what it holds and throws <see cref="SessionBrokenException"/>, and <see cref="GpuWorkerSupervisor"/> re-creates it
/// (a new session) after a backoff.
/// </summary>
public sealed partial class GpuWorker : ReceiveActor, IWithTimers
{
    private static long _sessionCounter;
    private readonly ModelCatalog _catalog;
    private readonly string _modelId;
    private readonly InferenceSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Pending> _pending = [];
    private readonly Dictionary<string, (Pending Pending, Task Work)> _encoding = [];
    private Task<object>? _startup;
    private ModelRunner? _runner;
    private SessionLoop? _loop;
    private string? _unavailable;
    private long _sessionNumber;
    private long _completed;
    private long _failed;

    public GpuWorker(ModelCatalog catalog, string modelId, InferenceSettings settings)
    {
        _catalog = catalog;
        _modelId = modelId;
        _settings = settings;
        Become(Starting);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>An unsupervised worker; miners use <see cref="GpuWorkerSupervisor.Props"/>, which restarts a broken session with backoff.</summary>
    public static Props Props(ModelCatalog catalog, string modelId, InferenceSettings settings) =>
        Akka.Actor.Props.Create(() => new GpuWorker(catalog, modelId, settings));

    protected override void PreStart()
    {
        var (catalog, modelId, settings) = (_catalog, _modelId, _settings);
        _startup = Task.Run(() => StartSession(catalog, modelId, settings));
        _startup.PipeTo(Self, failure: e => new SessionStartFailed(e, Broken: false));
    }

    protected override void PostStop()
    {
        if (Shutdown(InferenceFailure.Cancelled, "worker stopped"))
        {
            _runner?.Dispose();
        }
        else
        {
            _log.Error("a run of {0} ignored termination for {1}; its session is left to the finalizer", _modelId, _settings.StopTimeout);
        }

        // A session created but not yet received (still starting, or its message behind the stop) is disposed here.
        if (_runner is null && _startup is { } startup)
        {
            startup.ContinueWith(t => (t.Result as SessionStarted)?.Runner.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
        }

        _runner = null;
    }

    /// <summary>Creating the session: tasks are accepted and wait for it.</summary>
    private void Starting()
    {
        Receive<SessionStarted>(OnSessionStarted);
        Receive<SessionStartFailed>(OnSessionStartFailed);
        Receive<RunInference>(OnRun);
        ReceiveCommon();
    }

    private void Serving()
    {
        Receive<RunInference>(OnRun);
        Receive<SessionRunCompleted>(OnRunCompleted);
        Receive<SessionRunFaulted>(OnRunFaulted);
        Receive<EncodeCompleted>(OnEncoded);
        Receive<EncodeFaulted>(OnEncodeFaulted);
        Receive<BreakSession>(_ => _runner?.Dispose());
        ReceiveCommon();
    }

    /// <summary>The model cannot be loaded: every task gets the reason; the worker stays up so operators see why.</summary>
    private void Unavailable()
    {
        Receive<RunInference>(task => Fail(Sender, task, InferenceFailure.ModelUnavailable, _unavailable!));
        ReceiveCommon();
    }

    private void ReceiveCommon()
    {
        Receive<CancelInference>(cancel => Stop(cancel.TaskId, InferenceFailure.Cancelled, "cancelled"));
        Receive<DeadlineReached>(reached => Stop(reached.TaskId, InferenceFailure.DeadlineExceeded, "the deadline passed"));
        Receive<GetWorkerStatus>(_ => Sender.Tell(Status()));
    }

    /// <summary>Runs on the thread pool: opens the verified model, creates the session and runs the warm-up input.</summary>
    private static object StartSession(ModelCatalog catalog, string modelId, InferenceSettings settings)
    {
        ModelRunner runner;
        try
        {
            runner = ModelRunner.Create(catalog, modelId, settings);
        }
        catch (Exception e) when (e is ModelCatalogException or OnnxRuntimeException or IOException or DllNotFoundException)
        {
            return new SessionStartFailed(e, Broken: false);
        }

        if (settings.WarmUp)
        {
            try
            {
                runner.Run(runner.WarmUpInput());
            }
            catch (Exception e)
            {
                runner.Dispose();
                return new SessionStartFailed(e, Broken: true);
            }
        }

        return new SessionStarted(runner, Interlocked.Increment(ref _sessionCounter));
    }

    private void OnSessionStarted(SessionStarted started)
    {
        _runner = started.Runner;
        _sessionNumber = started.SessionNumber;
        _loop = new SessionLoop(_runner, Self, $"gpu-worker {_modelId}");
        _log.Info("serving {0} on {1}{2}", _modelId, _runner.Provider.Provider,
            _runner.Provider.FallbackReason is { } reason ? $" (CUDA was asked for: {reason})" : "");
        if (_runner.Provider.FallbackReason is not null)
        {
            _log.Warning("CUDA was asked for but {0} runs on CPU: {1}", _modelId, _runner.Provider.FallbackReason);
        }

        Become(Serving);
        foreach (var pending in _pending.Values.Where(p => p.Prepared is null).OrderBy(p => p.ArrivedAt).ToList())
        {
            Admit(pending);
        }
    }

    private void OnSessionStartFailed(SessionStartFailed failed)
    {
        var cause = failed.Cause is AggregateException { InnerException: { } inner } ? inner : failed.Cause;
        if (failed.Broken)
        {
            Shutdown(InferenceFailure.WorkerRestarting, $"the new session failed its warm-up run: {cause.Message}");
            throw new SessionBrokenException(_modelId, cause);
        }

        _unavailable = cause.Message;
        _log.Error("model {0} unavailable: {1}", _modelId, cause.Message);
        foreach (var pending in _pending.Values.ToList())
        {
            Timers.Cancel(pending.Task.TaskId);
            Finish(pending, InferenceFailure.ModelUnavailable, _unavailable);
        }

        _pending.Clear();
        Become(Unavailable);
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
