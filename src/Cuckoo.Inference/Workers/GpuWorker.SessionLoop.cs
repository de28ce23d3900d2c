using System.Collections.Concurrent;
using Akka.Actor;
using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Workers;

public sealed partial class GpuWorker
{
    /// <summary>
    /// The thread that owns the session's runs. It takes admitted tasks in order and runs them back to back, so the
    /// session never waits for the actor's mailbox between tasks (a run per thread-pool task measured 0.5–0.85 of a
    /// bare session loop, this 0.97); results go back to the worker as messages.
    /// </summary>
    private sealed class SessionLoop
    {
        private readonly BlockingCollection<Pending> _work = [];
        private readonly ModelRunner _runner;
        private readonly IActorRef _worker;
        private readonly Thread _thread;

        public SessionLoop(ModelRunner runner, IActorRef worker, string name)
        {
            _runner = runner;
            _worker = worker;
            _thread = new Thread(Loop) { IsBackground = true, Name = name };
            _thread.Start();
        }

        public void Post(Pending pending) => _work.Add(pending);

        /// <summary>Stops taking tasks and waits for the one running; false if it did not return in time.</summary>
        public bool Stop(TimeSpan wait)
        {
            _work.CompleteAdding();
            return _thread.Join(wait);
        }

        private void Loop()
        {
            foreach (var pending in _work.GetConsumingEnumerable())
            {
                if (!pending.TryStart())
                {
                    continue;
                }

                pending.Task.StartedTo?.Tell(new InferenceStarted(pending.Task.TaskId, pending.Task.ModelId), ActorRefs.NoSender);

                try
                {
                    _worker.Tell(new SessionRunCompleted(pending.Task.TaskId, _runner.Infer(pending.Prepared!, pending.Options)), ActorRefs.NoSender);
                }
                catch (Exception e)
                {
                    _worker.Tell(new SessionRunFaulted(pending.Task.TaskId, e), ActorRefs.NoSender);
                }
            }
        }
    }
}
