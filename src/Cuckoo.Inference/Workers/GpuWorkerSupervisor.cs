using Akka.Actor;
using Akka.Pattern;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Workers;

/// <summary>
/// How miners run a <see cref="GpuWorker"/>: under Akka's <see cref="BackoffSupervisor"/>. Send tasks to the
/// supervisor; it forwards them (replies come from the worker). When the worker throws
/// <see cref="SessionBrokenException"/> it is stopped and created again, with a new session, after
/// <see cref="InferenceSettings.RestartMinBackoff"/>, doubling up to <see cref="InferenceSettings.RestartMaxBackoff"/>
/// for a session that keeps breaking. In between, every message is answered with <see cref="RefusedWhileRestarting"/>
/// (one fixed reply: the supervisor cannot name the task), so no task is dropped without an answer.
/// </summary>
public static class GpuWorkerSupervisor
{
    /// <summary>The worker's name under its supervisor.</summary>
    public const string WorkerName = "session";

    public static Props Props(ModelCatalog catalog, string modelId, InferenceSettings settings) =>
        BackoffSupervisor.Props(
            Backoff.OnFailure(
                    GpuWorker.Props(catalog, modelId, settings),
                    WorkerName,
                    settings.RestartMinBackoff,
                    settings.RestartMaxBackoff,
                    settings.RestartRandomFactor,
                    maxNrOfRetries: -1)
                .WithAutoReset(settings.RestartResetAfter)
                .WithReplyWhileStopped(new RefusedWhileRestarting(modelId)));
}
