using System.Numerics;
using Cuckoo.Staking;

namespace Cuckoo.Coordinator.Registry;

public sealed record MinerRegistrySettings
{
    /// <summary>A miner needs a self-stake above this to be picked; the contract's minimum by default (20,000 CAI).</summary>
    public BigInteger MinimumSelfStake { get; init; } = new StakingParameters().MinMinerStake;

    /// <summary>A proven slash jails the miner until an <see cref="UpdateStanding"/> releases it.</summary>
    public bool JailOnSlash { get; init; } = true;

    /// <summary>
    /// Takes the chain watcher's events from the event stream, where they outlive a restart of the watcher. With this on,
    /// do not also subscribe the registry by message: each event would come twice (harmless, as updates are absolute).
    /// </summary>
    public bool ListenOnEventStream { get; init; } = true;

    /// <summary>Blocks of standing changes kept to undo on a reorg: the watcher's own <c>ReorgWindow</c>.</summary>
    public int ReorgWindow { get; init; } = 128;

    /// <summary>Seeds the picks' random numbers, for reproducible tests; null: unpredictable.</summary>
    public int? Seed { get; init; }

    public void Validate()
    {
        if (MinimumSelfStake < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumSelfStake), MinimumSelfStake, "Must not be negative.");
        }
        if (ReorgWindow < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReorgWindow), ReorgWindow, "Must be at least 1.");
        }
    }
}
