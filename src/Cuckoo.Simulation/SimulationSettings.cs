namespace Cuckoo.Simulation;

/// <summary>One simulation run: who the miners are, how they misbehave, how much work they get, and the coordinator's trust settings.</summary>
public sealed record SimulationSettings
{
    /// <summary>Miners in all, each of its own staker (default 20); the misbehaving ones below are among them.</summary>
    public int Miners { get; init; } = 20;

    /// <summary>Miners that each fake a share of their results on their own, with random bytes (default 3).</summary>
    public int Fakers { get; init; } = 3;

    /// <summary>Share of its results a faker fakes (default 0.1).</summary>
    public double FakeRate { get; init; } = 0.1;

    /// <summary>Miners of one colluding group (default 0): they fake the same tasks with the same bytes, so they agree with each other.</summary>
    public int Colluders { get; init; }

    /// <summary>Share of all task ids the colluders fake whenever one of them runs it (default 0.1).</summary>
    public double ColludeRate { get; init; } = 0.1;

    /// <summary>Miners that are honest but unlucky (default 2): a share of their runs fail or never answer.</summary>
    public int Crashers { get; init; } = 2;

    /// <summary>Share of a crasher's runs that produce nothing (default 0.2): half report a failure, half run into the deadline.</summary>
    public double CrashRate { get; init; } = 0.2;

    /// <summary>Tasks submitted; null: 1,000 per miner (default), so that an average miner runs about 1,000.</summary>
    public int? Tasks { get; init; }

    /// <summary>The scheduler's share of tasks audited at random (default 0.08, the scheduler's own default).</summary>
    public double AuditRate { get; init; } = 0.08;

    /// <summary>Agreeing results every task asks for, its <c>verify</c> (default 1).</summary>
    public int Verify { get; init; } = 1;

    /// <summary>Seeds keys, stakes, misbehaviour, picks and audit draws (default 1). Runs race on real actors, so one seed gives close figures, not equal ones.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Tasks in flight at once (default 4 per miner): enough to keep every miner busy.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Tasks one miner runs at once (default 4).</summary>
    public int Capacity { get; init; } = 4;

    /// <summary>
    /// How long one run may take before it is given to another miner (default 2 s): what a silent crash costs. Runs take
    /// microseconds, but at 500 ms the first second's start-up (JIT, the journals' first writes) ran past it and cost
    /// whole tasks their three attempts.
    /// </summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(2);

    public int TaskCount => Tasks ?? Miners * 1_000;

    public int InFlight => Concurrency ?? Miners * 4;

    /// <summary>The first reason these settings cannot run, in one sentence naming the option; null when they can.</summary>
    public string? Problem()
    {
        if (Miners is < 2 or > 1_000)
        {
            return $"--miners must be between 2 and 1000 (got {Miners}).";
        }
        if (Fakers < 0 || Colluders < 0 || Crashers < 0)
        {
            return "--fakers, --colluders and --crashers must not be negative.";
        }
        if (Fakers + Colluders + Crashers > Miners)
        {
            return $"--fakers, --colluders and --crashers ({Fakers} + {Colluders} + {Crashers}) exceed --miners ({Miners}).";
        }
        if (Colluders == 1)
        {
            return "--colluders is the size of the colluding group: 0, or at least 2.";
        }
        if (Share(FakeRate) is { } fake)
        {
            return $"--fake-rate {fake}";
        }
        if (Share(ColludeRate) is { } collude)
        {
            return $"--collude-rate {collude}";
        }
        if (Share(CrashRate) is { } crash)
        {
            return $"--crash-rate {crash}";
        }
        if (Share(AuditRate) is { } audit)
        {
            return $"--audit-rate {audit}";
        }
        if (Tasks is < 1 or > 10_000_000)
        {
            return $"--tasks must be between 1 and 10000000 (got {Tasks}).";
        }
        if (Verify < 1 || Verify > 5 || Verify > Miners)
        {
            return $"--verify must be between 1 and 5, and at most --miners (got {Verify}).";
        }
        if (Concurrency is < 1 || Capacity < 1)
        {
            return "the concurrency and each miner's capacity must be at least 1.";
        }
        return Deadline <= TimeSpan.Zero ? "the deadline must be positive." : null;
    }

    private static string? Share(double value) =>
        double.IsNaN(value) || value < 0 || value > 1 ? FormattableString.Invariant($"must be a share between 0 and 1 (got {value}).") : null;
}
