namespace Cuckoo.Miner.Work;

/// <summary>
/// Shutdown: stop taking work. The link advertises no free credits from now on and fails assignments that still arrive
/// (so that the dispatcher gives them to another miner at once); what runs finishes. Answered with <see cref="WorkLinkStatus"/>.
/// </summary>
public sealed record DrainWork
{
    public static readonly DrainWork Instance = new();
}

/// <summary>Ask for the link's <see cref="WorkLinkStatus"/>.</summary>
public sealed record GetWorkLinkStatus
{
    public static readonly GetWorkLinkStatus Instance = new();
}

/// <param name="Credits">Tasks the link may hold at once, as last read.</param>
/// <param name="Running">Attempts given to a worker (or waiting for one that restarts), not yet answered.</param>
/// <param name="Unacknowledged">Outcomes sent and not yet acknowledged by a dispatcher.</param>
public sealed record WorkLinkStatus(int Credits, int Running, int Unacknowledged, bool Draining);
