using System.CommandLine;
using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Cli.Commands;

/// <summary>`cuckoo chain status [ADDRESS]`: an account's stake, unbonding, registration, votes, weight and rewards.</summary>
internal static class ChainStatusCommand
{
    public static Command Create()
    {
        var command = new Command("chain", "Read the staking contract.");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(ChainWatchCommand.Create());
        return command;
    }

    private static Command Status()
    {
        var o = new CliOptions();
        var address = new Argument<string?>("address")
        {
            Description = "The account (a staker, voter, miner or coordinator address; default: the --key's address).", Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("status", "Show an account's CAI, stake, unbonding, registration, votes, weight and rewards.") { address };
        o.WithChain(command);
        command.Options.Add(o.Key);
        command.Options.Add(o.KeysDir);
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var text = ctx.Parse.GetValue(address);
            // The key file names its address in clear, so no password is needed here.
            var account = text is not null
                ? CliRun.ParseAddress(text, "address")
                : KeyStore.ReadAddress(await File.ReadAllTextAsync(KeyRing.ResolveKeyFile(ctx, o), ct));
            using var session = await ChainSession.OpenAsync(ctx, o, ct);
            return await ReadAsync(session, account, ct);
        }, Print);
        return command;
    }

    private static async Task<ChainStatus> ReadAsync(ChainSession session, Address account, CancellationToken ct)
    {
        var staking = session.Staking;
        var block = await session.Client.GetBlockNumberAsync(ct);
        var now = await ChainQueries.ChainTimeAsync(session, ct);
        var epochLength = await staking.EpochLengthAsync();
        var epoch = await staking.CurrentEpochAsync();
        var balance = await session.Token.BalanceOfAsync(account);
        var stake = await staking.StakeOfAsync(account);
        var unbonding = new List<UnbondingView>();
        foreach (var pool in await ChainQueries.UnbondingPoolsOfAsync(session, account, ct))
        {
            var position = await staking.UnbondingOfAsync(account, pool);
            if (!position.Amount.IsZero)
            {
                unbonding.Add(new UnbondingView(pool, CliRun.FormatCai(position.Amount), position.ReleaseAt, position.ReleasedAt(now)));
            }
        }
        var registered = await staking.RegistrationOfAsync(account);
        var registration = registered is { } r ? await ViewAsync(staking, await staking.CandidateOfAsync(r), epochLength) : null;
        var self = await staking.CandidateOfAsync(account);
        var voted = await ChainQueries.CandidatesVotedByAsync(session, account, ct);
        var votes = new List<VoteView>();
        foreach (var candidate in voted)
        {
            var position = await staking.VotePositionOfAsync(account, candidate);
            if (!position.Value.IsZero)
            {
                votes.Add(new VoteView(
                    candidate, CliRun.FormatCai(position.Value), CliRun.FormatCai(position.Earning), CliRun.FormatCai(position.PendingValue),
                    position.PendingValue.IsZero ? null : CuckooStakingClient.EpochStart(position.EarningFromEpoch, epochLength)));
            }
        }
        var settled = await staking.RewardsOfAsync(account);
        var claimable = await staking.ClaimableAsync(account, voted);
        return new ChainStatus(
            session.Deployment.ChainId, session.RpcUrl.ToString(), block, now, (long)epoch, account, CliRun.FormatCai(balance), CliRun.FormatCai(stake),
            unbonding, registration, self.Known ? await ViewAsync(staking, self, epochLength) : null, votes, CliRun.FormatCai(settled), CliRun.FormatCai(claimable));
    }

    private static async Task<CandidateView> ViewAsync(CuckooStakingClient staking, CandidateInfo c, TimeSpan epochLength)
    {
        var schedule = await staking.CommissionScheduleOfAsync(c.Staker);
        var pools = await staking.PoolsOfAsync(c.Candidate);
        var url = c.Kind == CandidateKind.Coordinator ? await staking.UrlOfAsync(c.Candidate) : null;
        // The schedule's next value is in force once its epoch has begun; until then it is pending.
        var pending = schedule.Next != c.CommissionBps
            ? new CommissionChangeView(schedule.Next, (long)schedule.EffectiveEpoch, CuckooStakingClient.EpochStart(schedule.EffectiveEpoch, epochLength))
            : null;
        return new(
            c.Candidate, c.Kind.ToString().ToLowerInvariant(), c.Staker, c.Registered, c.Active, CliRun.FormatCai(c.SelfStake), CliRun.FormatCai(c.Votes),
            CliRun.FormatCai(pools.PendingVotes), CliRun.FormatCai(pools.Unbonding), CliRun.FormatCai(c.Weight), c.CommissionBps, pending, c.Intro, url);
    }

    private static void Print(CliContext ctx, ChainStatus s)
    {
        var w = ctx.Out;
        w.WriteLine($"account       {s.Account}   (chain {s.ChainId}, block {s.Block} at {s.ChainTime:u}, epoch {s.Epoch}, {s.RpcUrl})");
        w.WriteLine($"CAI balance   {s.CaiBalance}");
        w.WriteLine($"free stake    {s.Stake}");
        w.WriteLine(s.Unbonding.Count == 0 ? "unbonding     none" : "unbonding");
        foreach (var u in s.Unbonding)
        {
            var pool = u.Candidate.IsZero ? "stake that backed nothing" : $"on {u.Candidate}";
            w.WriteLine($"  {u.Amount} {pool}: {(u.Released ? "released, `cuckoo withdraw`" : $"withdrawable from {u.ReleaseAt:u}")}");
        }
        if (s.Registration is { } r)
        {
            w.WriteLine($"registered    {r.Kind} {r.Address} ({(r.Active ? "active" : r.Registered ? "inactive: at or below the minimum" : "deregistered")})");
            Describe(w, r);
        }
        else
        {
            w.WriteLine("registered    nothing");
        }
        if (s.Candidate is { } c)
        {
            w.WriteLine($"as candidate  {c.Kind} of staker {c.Staker} ({(c.Active ? "active" : "inactive")})");
            Describe(w, c);
        }
        w.WriteLine(s.Votes.Count == 0 ? "votes         none" : "votes");
        foreach (var v in s.Votes)
        {
            w.WriteLine(v.EarningFrom is { } from
                ? $"  {v.Candidate}  {v.Amount}: {v.Active} earning, {v.Pending} earning from {from:u}"
                : $"  {v.Candidate}  {v.Amount}: earning");
        }
        w.WriteLine($"rewards       {s.Rewards} settled, {s.Claimable} claimable (`cuckoo rewards claim`)");
    }

    private static void Describe(TextWriter w, CandidateView c)
    {
        w.WriteLine($"  weight      {c.Weight} = self-stake {c.SelfStake} + votes {c.Votes} ({c.PendingVotes} of them not earning until the next epoch)");
        w.WriteLine(c.CommissionChange is { } next
            ? $"  commission  {c.CommissionBps} bps, {next.Bps} bps from epoch {next.Epoch} ({next.At:u})"
            : $"  commission  {c.CommissionBps} bps");
        if (c.Unbonding != "0")
        {
            w.WriteLine($"  unbonding   {c.Unbonding} in its pool (still slashable for it)");
        }
        if (c.Url is not null)
        {
            w.WriteLine($"  url         {c.Url}");
        }
    }

    private sealed record ChainStatus(
        long ChainId, string RpcUrl, long Block, DateTimeOffset ChainTime, long Epoch, Address Account, string CaiBalance, string Stake,
        IReadOnlyList<UnbondingView> Unbonding, CandidateView? Registration, CandidateView? Candidate, IReadOnlyList<VoteView> Votes, string Rewards, string Claimable);

    /// <param name="Candidate">Whose pool (zero: stake that backed nothing).</param>
    private sealed record UnbondingView(Address Candidate, string Amount, DateTimeOffset? ReleaseAt, bool Released);

    private sealed record CommissionChangeView(int Bps, long Epoch, DateTimeOffset At);

    private sealed record CandidateView(
        Address Address, string Kind, Address Staker, bool Registered, bool Active, string SelfStake, string Votes, string PendingVotes, string Unbonding,
        string Weight, int CommissionBps, CommissionChangeView? CommissionChange, string Intro, string? Url);

    /// <param name="Active">The part that earns now.</param>
    /// <param name="Pending">The part that earns from <paramref name="EarningFrom"/> (the next epoch's start).</param>
    private sealed record VoteView(Address Candidate, string Amount, string Active, string Pending, DateTimeOffset? EarningFrom);
}
