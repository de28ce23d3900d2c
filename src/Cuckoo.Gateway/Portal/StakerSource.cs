using System.Numerics;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Gateway.Portal;

/// <summary>One account's position (<c>GET /portal/api/me/{address}</c>), read from the chain over every known candidate.</summary>
public sealed class StakerSource(PortalChain chain, NetworkSource network, TimeProvider time)
{
    public async Task<StakerView> GetAsync(Address account, CancellationToken cancellationToken)
    {
        var staking = chain.Staking;
        var token = await chain.TokenAsync(cancellationToken).ConfigureAwait(false);
        var candidates = await network.CandidatesAsync(cancellationToken).ConfigureAwait(false);
        var balance = token.BalanceOfAsync(account);
        var allowance = token.AllowanceAsync(account, staking.Address);
        var stake = staking.StakeOfAsync(account);
        var registration = staking.RegistrationOfAsync(account);
        var epoch = staking.CurrentEpochAsync();
        var claimable = staking.ClaimableAsync(account, candidates);
        var votes = candidates.Select(async c => (Candidate: c, Position: await staking.VotePositionOfAsync(account, c).ConfigureAwait(false))).ToList();
        // Address zero: stake unstaked while it backed no registration.
        var unbonding = candidates.Prepend(Address.Zero).Select(c => staking.UnbondingOfAsync(account, c)).ToList();
        await Task.WhenAll([balance, allowance, stake, registration, epoch, claimable, .. votes, .. unbonding]).WaitAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return new StakerView(
            account.ToString(), balance.Result.ToString(), allowance.Result.ToString(), stake.Result.ToString(), registration.Result?.ToString(),
            [.. votes.Select(v => v.Result).Where(v => v.Position.Value > 0)
                .Select(v => new VoteView(v.Candidate.ToString(), v.Position.Value.ToString(), v.Position.PendingValue.ToString(), (long)v.Position.EarningFromEpoch))],
            [.. unbonding.Select(u => u.Result).Where(u => u.Amount > 0)
                .Select(u => new UnbondingView(u.Candidate.ToString(), u.Amount.ToString(), u.ReleaseAt, u.ReleasedAt(now)))],
            claimable.Result.ToString(), (long)epoch.Result, now);
    }
}
