using Cuckoo.ChainWatcher;
using CandidateKind = Cuckoo.Staking.CandidateKind;

namespace Cuckoo.Coordinator.Registry;

/// <summary>The chain watcher's events as standing updates of the candidate they concern.</summary>
public static class ChainStanding
{
    /// <summary>The update <paramref name="e"/> makes to a miner's standing; null for events that change none.</summary>
    /// <param name="jailOnSlash">Whether a proven slash also jails the candidate (the registry's setting).</param>
    /// <remarks>
    /// Every change of self-stake or votes is followed by the contract's <c>WeightChanged</c>, which carries all of
    /// them, so stakes and votes are taken from it alone (a <see cref="StakeChanged"/> names the staker, not the
    /// candidate; a <see cref="VoteChanged"/> only a delta). Updates set absolute values: applying one twice is harmless.
    /// </remarks>
    public static UpdateStanding? From(IChainEvent e, bool jailOnSlash = true) => e switch
    {
        MinerRegistered r => new UpdateStanding(r.Miner) { Kind = CandidateKind.Miner, Registered = true },
        // Addresses keep their kind, so a coordinator's never becomes eligible as a miner.
        CoordinatorRegistered r => new UpdateStanding(r.Coordinator) { Kind = CandidateKind.Coordinator, Registered = true },
        CandidateDeregistered d => new UpdateStanding(d.Candidate) { Registered = false, Active = false },
        CandidateActivationChanged a => a.Active
            ? new UpdateStanding(a.Candidate) { Registered = true, Active = true, SelfStake = a.SelfStake }
            : new UpdateStanding(a.Candidate) { Active = false, SelfStake = a.SelfStake },
        // The contract's active flag implies registered, which also covers a registry that joined after the registration.
        WeightChanged w => w.Active
            ? new UpdateStanding(w.Candidate) { Registered = true, Active = true, SelfStake = w.SelfStake, Votes = w.Votes }
            : new UpdateStanding(w.Candidate) { Active = false, SelfStake = w.SelfStake, Votes = w.Votes },
        CandidateSlashed s when jailOnSlash => new UpdateStanding(s.Candidate) { Jailed = true },
        _ => null,
    };
}
