using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>Whether a miner address may join now, and why not.</summary>
/// <param name="Refusal">Null when <paramref name="Eligible"/>.</param>
/// <param name="SelfStake">Its staker's free stake, as the contract reports it (zero when the chain was not read).</param>
/// <param name="Weight">Self-stake plus votes (zero when not registered or not read).</param>
public sealed record MinerStanding(Address Miner, bool Eligible, RefusalReason? Refusal, string Detail, BigInteger SelfStake, BigInteger Weight)
{
    public static MinerStanding Refused(Address miner, RefusalReason reason, string detail, BigInteger selfStake = default, BigInteger weight = default) =>
        new(miner, false, reason, detail, selfStake, weight);
}

public interface IMinerEligibility
{
    Task<MinerStanding> CheckAsync(Address miner, CancellationToken cancellationToken);
}

/// <summary>Where the node learns of an admission (its TLS allow-list, its registry).</summary>
public interface IAdmissionSink
{
    Task AdmitAsync(Admission admission, CancellationToken cancellationToken);
}

/// <summary>
/// Eligibility as the staking contract has it now: a registered miner (not a coordinator), active, that is with a
/// self-stake above the contract's <c>minMinerStake</c> (strictly, as the contract decides <c>active</c>), and not in the jail
/// book. The jail book is asked first, so a jailed miner costs no chain call.
/// </summary>
public sealed class ChainMinerEligibility(CuckooStakingClient staking, IJailBook jail) : IMinerEligibility
{
    private readonly CuckooStakingClient _staking = staking ?? throw new ArgumentNullException(nameof(staking));
    private readonly IJailBook _jail = jail ?? throw new ArgumentNullException(nameof(jail));
    // minMinerStake is immutable in the contract, so one successful read holds for good.
    private Task<BigInteger>? _minimum;

    public async Task<MinerStanding> CheckAsync(Address miner, CancellationToken cancellationToken)
    {
        if (_jail.IsJailed(miner, out var why))
        {
            return MinerStanding.Refused(miner, RefusalReason.Jailed, $"Miner {miner} is jailed by this coordinator: {why}.");
        }
        var candidate = _staking.CandidateOfAsync(miner).WaitAsync(cancellationToken);
        var minimum = MinimumAsync().WaitAsync(cancellationToken);
        await Task.WhenAll(candidate, minimum).ConfigureAwait(false);
        var info = candidate.Result;
        var min = minimum.Result;
        if (info.Kind == CandidateKind.None)
        {
            return MinerStanding.Refused(miner, RefusalReason.Unregistered, $"{miner} is not registered as a miner on the staking contract.");
        }
        if (info.Kind != CandidateKind.Miner)
        {
            return MinerStanding.Refused(miner, RefusalReason.Unregistered, $"{miner} is registered as a {info.Kind.ToString().ToLowerInvariant()}, not as a miner.");
        }
        if (!info.Registered)
        {
            return MinerStanding.Refused(miner, RefusalReason.Deregistered, $"Miner {miner} was deregistered by its staker.");
        }
        if (!info.Active || info.SelfStake <= min)
        {
            return MinerStanding.Refused(
                miner, RefusalReason.UnderStaked,
                $"Miner {miner} has a self-stake of {Cai.Format(info.SelfStake)} CAI; more than {Cai.Format(min)} CAI is required.",
                info.SelfStake, info.Weight);
        }
        return new MinerStanding(miner, true, null, $"Miner {miner} is registered and active with a self-stake of {Cai.Format(info.SelfStake)} CAI.", info.SelfStake, info.Weight);
    }

    private Task<BigInteger> MinimumAsync()
    {
        var cached = _minimum;
        if (cached is { IsCompletedSuccessfully: true } || (cached is not null && !cached.IsCompleted))
        {
            return cached;
        }
        var read = ReadMinimumAsync();
        Interlocked.CompareExchange(ref _minimum, read, cached);
        return read;
    }

    private async Task<BigInteger> ReadMinimumAsync() => (await _staking.GetParametersAsync().ConfigureAwait(false)).MinMinerStake;
}
