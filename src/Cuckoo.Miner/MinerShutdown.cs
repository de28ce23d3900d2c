using Akka.Actor;
using Cuckoo.Inference.Workers;
using Cuckoo.Miner.Work;

namespace Cuckoo.Miner;

/// <summary>
/// Ctrl-C or SIGTERM: the work link first stops advertising credits (so that no new work comes), then, before the node
/// leaves the cluster, each GPU worker finishes the task it is running and those queued behind it, within the phase's
/// timeout (hocon/miner.conf), so that no accepted work dies with the process; the outcomes get a short while to be
/// acknowledged.
/// </summary>
public static class MinerShutdown
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long finished outcomes may wait for the dispatcher's acknowledgement; an unacknowledged attempt is given to another miner after its deadline.</summary>
    private static readonly TimeSpan AcknowledgementWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    public static void Register(ActorSystem system, IEnumerable<IActorRef> workers, IActorRef? link = null)
    {
        var list = workers.ToList();
        var shutdown = CoordinatedShutdown.Get(system);
        if (link is not null)
        {
            shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-taking-work", async () =>
            {
                await LinkStatus(link, DrainWork.Instance);
                return Akka.Done.Instance;
            });
        }
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "finish-inference", async () =>
        {
            while (await AnyBusy(list) || (link is not null && (await LinkStatus(link, GetWorkLinkStatus.Instance))?.Running > 0))
            {
                await Task.Delay(PollInterval);
            }
            if (link is not null)
            {
                using var patience = new CancellationTokenSource(AcknowledgementWait);
                while (!patience.IsCancellationRequested && (await LinkStatus(link, GetWorkLinkStatus.Instance))?.Unacknowledged > 0)
                {
                    await Task.Delay(PollInterval);
                }
            }
            return Akka.Done.Instance;
        });
    }

    private static async Task<bool> AnyBusy(IEnumerable<IActorRef> workers)
    {
        var busy = false;
        foreach (var worker in workers)
        {
            try
            {
                var status = await worker.Ask<WorkerStatus>(GetWorkerStatus.Instance, AskTimeout);
                busy |= status.RunningTaskId is not null || status.Queued > 0;
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                // A worker that does not answer is restarting: it holds no task to finish.
            }
        }
        return busy;
    }

    /// <summary>The link's status, or null when it does not answer (stopped): it then holds nothing to wait for.</summary>
    private static async Task<WorkLinkStatus?> LinkStatus(IActorRef link, object request)
    {
        try
        {
            return await link.Ask<WorkLinkStatus>(request, AskTimeout);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }
}
