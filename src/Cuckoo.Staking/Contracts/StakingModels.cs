using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Staking;

public enum CandidateKind
{
    None = 0,
    Miner = 1,
    Coordinator = 2,
}

/// <summary>A miner or coordinator address as the contract sees it.</summary>
public sealed record CandidateInfo(
    Address Candidate,
    CandidateKind Kind,
    Address Staker,
    bool Registered,
    bool Active,
    BigInteger SelfStake,
    BigInteger Votes,
    BigInteger Weight,
    int CommissionBps,
    string Intro)
{
    /// <summary>False when the address was never registered.</summary>
    public bool Known => Kind != CandidateKind.None;
}

/// <summary>Stake on its way out: slashable until withdrawn at <see cref="ReleaseAt"/>.</summary>
public sealed record Unbonding(BigInteger Amount, DateTimeOffset? ReleaseAt);

/// <summary>The staking contract's constructor parameters. Defaults are the devnet's.</summary>
public sealed record StakingParameters
{
    /// <summary>Receives the part of each slash that does not go to the reporter.</summary>
    public Address Treasury { get; init; }

    /// <summary>Self-stake a miner registration needs: 20,000 CAI.</summary>
    public BigInteger MinMinerStake { get; init; } = Cai.Tokens(20_000);

    /// <summary>Self-stake a coordinator registration needs: 2,000,000 CAI.</summary>
    public BigInteger MinCoordinatorStake { get; init; } = Cai.Tokens(2_000_000);

    /// <summary>Time between <c>requestUnstake</c> and <c>withdraw</c>: 7 days.</summary>
    public TimeSpan UnbondingPeriod { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Window of the per-epoch slash cap: 1 day.</summary>
    public TimeSpan EpochLength { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Largest single slash: 10% (1,000 bps).</summary>
    public int MaxSlashBpsPerIncident { get; init; } = 1_000;

    /// <summary>Most a miner can be slashed per epoch: 20% (2,000 bps); must stay below 100%.</summary>
    public int MaxSlashBpsPerEpoch { get; init; } = 2_000;

    /// <summary>Share of a slash paid to the reporting coordinator: 10% (1,000 bps).</summary>
    public int ReporterShareBps { get; init; } = 1_000;
}

/// <summary>The token's constructor parameters. Defaults are the devnet's.</summary>
public sealed record TokenParameters
{
    /// <summary>Minted to the deployer: 1,000,000,000 CAI.</summary>
    public BigInteger InitialSupply { get; init; } = Cai.Tokens(1_000_000_000);

    /// <summary>Minted per faucet call: 2,500,000 CAI, enough to register a coordinator.</summary>
    public BigInteger FaucetAmount { get; init; } = Cai.Tokens(2_500_000);

    /// <summary>Wait between two faucet calls from one address: 1 hour.</summary>
    public TimeSpan FaucetCooldown { get; init; } = TimeSpan.FromHours(1);
}
