namespace Cuckoo.Cluster.Enrolment;

/// <summary>Limits of the enrolment endpoint. Every bound here keeps a stranger's requests cheap for the coordinator.</summary>
public sealed record EnrolmentOptions
{
    /// <summary>How long a challenge can be answered: 30 s, enough to sign and post, short enough that a captured one goes stale.</summary>
    public TimeSpan ChallengeTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a challenge is remembered after it expires, so that a late answer is told "expired" (and a replay
    /// "replayed") rather than "unknown": 30 s.
    /// </summary>
    public TimeSpan ExpiredChallengeRetention { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Challenges remembered at once, redeemed and expired ones included: 10,000 (a few MB); the oldest is evicted first.</summary>
    public int MaxOutstandingChallenges { get; init; } = 10_000;

    /// <summary>
    /// The oldest miner version admitted: "0.1.0". A miner is compatible when its semantic version has this major
    /// version and is not below it (<see cref="SemanticVersion"/> precedence: a pre-release sorts before its release).
    /// </summary>
    public string MinimumMinerVersion { get; init; } = "0.1.0";

    /// <summary>Models one miner may declare: 64.</summary>
    public int MaxModels { get; init; } = 64;

    /// <summary>Longest model id, in characters: 128.</summary>
    public int MaxModelIdLength { get; init; } = 128;

    /// <summary>Largest capacity (concurrent tasks) a miner may declare: 1,024.</summary>
    public int MaxCapacity { get; init; } = 1_024;

    /// <summary>Longest software version string: 64 characters.</summary>
    public int MaxSoftwareVersionLength { get; init; } = 64;

    /// <summary>Largest request body: 16 KiB, well above 64 models of 128 characters.</summary>
    public int MaxRequestBytes { get; init; } = 16 * 1024;

    /// <exception cref="ArgumentException">a limit that is not positive, or a minimum version that is not semantic.</exception>
    public void Validate()
    {
        if (ChallengeTtl <= TimeSpan.Zero || ExpiredChallengeRetention < TimeSpan.Zero)
        {
            throw new ArgumentException("ChallengeTtl must be positive and ExpiredChallengeRetention not negative.");
        }
        if (MaxOutstandingChallenges < 1 || MaxModels < 1 || MaxModelIdLength < 1 || MaxCapacity < 1 || MaxSoftwareVersionLength < 1 || MaxRequestBytes < 1)
        {
            throw new ArgumentException("Enrolment limits must be positive.");
        }
        if (!SemanticVersion.TryParse(MinimumMinerVersion, out _))
        {
            throw new ArgumentException($"MinimumMinerVersion '{MinimumMinerVersion}' is not a semantic version (major.minor.patch).");
        }
    }
}
