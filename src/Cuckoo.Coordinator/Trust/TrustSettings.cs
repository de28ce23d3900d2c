using System.Globalization;
using System.Numerics;
using Akka.Configuration;

namespace Cuckoo.Coordinator.Trust;

/// <summary>The trust keeper's settings (hocon/coordinator.conf, <c>cuckoo.trust</c>).</summary>
public sealed record TrustSettings
{
    /// <summary>One CAI in wei (the token has 18 decimals).</summary>
    public static readonly BigInteger Cai = BigInteger.Pow(10, 18);

    /// <summary>Journal id (default <c>trust</c>); one trust keeper per coordinator store.</summary>
    public string PersistenceId { get; init; } = "trust";

    /// <summary>
    /// Stored pieces of evidence against a jailed miner before its slashes go on chain (default 1: the contract checks
    /// every piece itself, with signatures of miners of distinct stakers, so one is proof enough).
    /// </summary>
    public int SlashAfter { get; init; } = 1;

    /// <summary>How soon a slash or deposit the chain refused for now (epoch slash cap, node down, low balance) is tried again (default 30 s).</summary>
    public TimeSpan SlashRetry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Length of a reward period (default 1 h): rewards are deposited once per period, so fewer, larger transactions.</summary>
    public TimeSpan RewardPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>CAI wei shared out per period in proportion to verified work (default 1,000 CAI).</summary>
    public BigInteger RewardBudget { get; init; } = 1_000 * Cai;

    /// <summary>Task ids remembered to take a settlement once however often the scheduler sends it (default 20,000: twice the scheduler's recent outcomes it resends).</summary>
    public int RecentSettlements { get; init; } = 20_000;

    /// <summary>Events between snapshots (default 10,000), so that recovery replays little.</summary>
    public int SnapshotEvery { get; init; } = 10_000;

    /// <summary>Closed reward periods kept for the report once fully paid (default 168: a week of hourly periods).</summary>
    public int KeepPeriods { get; init; } = 168;

    /// <exception cref="ArgumentException">a setting out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(PersistenceId, nameof(PersistenceId));
        ArgumentOutOfRangeException.ThrowIfLessThan(SlashAfter, 1, nameof(SlashAfter));
        ArgumentOutOfRangeException.ThrowIfLessThan(RecentSettlements, 1, nameof(RecentSettlements));
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotEvery, 1, nameof(SnapshotEvery));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeepPeriods, 0, nameof(KeepPeriods));
        if (SlashRetry <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SlashRetry), SlashRetry, "Must be positive.");
        }
        if (RewardPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RewardPeriod), RewardPeriod, "Must be positive.");
        }
        if (RewardBudget < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RewardBudget), RewardBudget, "Must not be negative.");
        }
    }
}

/// <summary>The trust keeper's settings from <c>cuckoo.trust</c>, the record's defaults where a key is absent.</summary>
public static class TrustHocon
{
    /// <exception cref="ArgumentException">a value out of range, or a reward budget that is not a whole number of wei.</exception>
    public static TrustSettings Bind(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("cuckoo.trust") ?? Config.Empty;
        var d = new TrustSettings();
        var budget = c.GetString("reward-budget", null);
        var settings = new TrustSettings
        {
            PersistenceId = c.GetString("persistence-id", d.PersistenceId),
            SlashAfter = c.GetInt("slash-after", d.SlashAfter),
            SlashRetry = c.GetTimeSpan("slash-retry", d.SlashRetry),
            RewardPeriod = c.GetTimeSpan("reward-period", d.RewardPeriod),
            RewardBudget = budget is null ? d.RewardBudget : ParseWei(budget),
            RecentSettlements = c.GetInt("recent-settlements", d.RecentSettlements),
            SnapshotEvery = c.GetInt("snapshot-every", d.SnapshotEvery),
            KeepPeriods = c.GetInt("keep-periods", d.KeepPeriods),
        };
        settings.Validate();
        return settings;
    }

    private static BigInteger ParseWei(string text) =>
        BigInteger.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var wei)
            ? wei
            : throw new ArgumentException($"cuckoo.trust.reward-budget must be a whole number of CAI wei, not '{text}'.");
}
