namespace Cuckoo.Persistence.Benchmarks;

/// <summary>Counts finished actors and completes when the last one is done.</summary>
public sealed class Countdown(int count)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining = count;

    public Task Task => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }
}
