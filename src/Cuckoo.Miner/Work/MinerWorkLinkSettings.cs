namespace Cuckoo.Miner.Work;

/// <summary>How a <see cref="MinerWorkLink"/> paces itself.</summary>
public sealed record MinerWorkLinkSettings
{
    /// <summary>How often the link re-reads its credits and advertises them; a new dispatcher after a failover learns the miner from it.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often outcomes not yet acknowledged are sent again, through the singleton proxy.</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Finished attempts remembered, so that an assignment repeated after a scheduler restart is answered without running it again.</summary>
    public int FinishedCacheSize { get; init; } = 256;

    /// <summary>How long after a worker's "restarting" refusal the link offers it the task again (the supervisor's backoff starts at 1 s).</summary>
    public TimeSpan RestartRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Refusals an attempt may meet before it fails; the attempt's deadline bounds the retries too.</summary>
    public int MaxRestartRetries { get; init; } = 30;

    /// <summary>
    /// How long past an attempt's deadline the link waits for the worker's answer; the worker answers DeadlineExceeded
    /// itself, so this only catches a worker that is gone.
    /// </summary>
    public TimeSpan WorkerAnswerGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sign a corrupted copy of every output (a fault for tests: see <see cref="MinerNodeSettings.CorruptOutputs"/>).</summary>
    public bool CorruptOutputs { get; init; }
}
