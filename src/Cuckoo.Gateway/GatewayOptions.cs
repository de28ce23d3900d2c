namespace Cuckoo.Gateway;

public sealed record GatewayOptions
{
    /// <summary>Largest body of <c>POST /v1/tasks</c> (default 1 MiB): inputs sit in the scheduler's memory until the task ends.</summary>
    public int MaxTaskBodyBytes { get; init; } = 1 << 20;

    /// <summary>Largest body of <c>POST /v1/images/generations</c> (default 64 KiB): a prompt and a few options.</summary>
    public int MaxImageBodyBytes { get; init; } = 64 << 10;

    /// <summary>How long the scheduler may take to answer a submit or a status query (default 10 s: a journal write, with margin).</summary>
    public TimeSpan SchedulerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <c>/v1/images/generations</c> waits for its tasks before a 504 (default 120 s: queue wait plus a run).</summary>
    public TimeSpan ImageTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How soon the scheduler must answer for <c>/readyz</c> (default 2 s).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Images one generation request may ask for (OpenAI's <c>n</c>; default 4).</summary>
    public int MaxImagesPerRequest { get; init; } = 4;
}
