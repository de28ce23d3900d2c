using Akka.Actor;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;

namespace Cuckoo.Miner;

/// <summary>
/// Ctrl-C or SIGTERM: before the node leaves the cluster, each GPU worker finishes the task it is running and those
/// queued behind it, within the phase's timeout (hocon/miner.conf), so that no accepted work dies with the process.
/// </summary>
public static class MinerShutdown
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static void Register(ActorSystem system, IEnumerable<IActorRef> workers)
    {
        var list = workers.ToList();
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "finish-inference", async () =>
        {
            while (true)
            {
                var busy = false;
                foreach (var worker in list)
                {
                    try
                    {
                        var status = await worker.Ask<WorkerStatus>(GetWorkerStatus.Instance, TimeSpan.FromSeconds(2));
                        busy |= status.RunningTaskId is not null || status.Queued > 0;
                    }
                    catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                    {
                        // A worker that does not answer is restarting: it holds no task to finish.
                    }
                }
                if (!busy)
                {
                    return Akka.Done.Instance;
                }
                await Task.Delay(PollInterval);
            }
        });
    }
}
