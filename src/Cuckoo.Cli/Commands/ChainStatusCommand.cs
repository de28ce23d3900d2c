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
        var balance = await session.Token.BalanceOfAsync(account);
        var stake = await staking.StakeOfAsync(account);
        var unbonding = await staking.UnbondingOfAsync(account);
        var registered = await staking.RegistrationOfAsync(account);
        var registration = registered is { } r ? View(await staking.CandidateOfAsync(r)) : null;
        var self = await staking.CandidateOfAsync(account);
        var voted = await ChainQueries.CandidatesVotedByAsync(session, account, ct);
        var votes = new List<VoteView>();
        foreach (var candidate in voted)
        {
            var amount = await staking.VoteOfAsync(account, candidate);
            if (!amount.IsZero)
            {
                votes.Add(new VoteView(candidate, CliRun.FormatCai(amount)));
            }
        }
        var settled = await staking.RewardsOfAsync(account);
        var claimable = await staking.ClaimableAsync(account, voted);
        return new ChainStatus(
            session.Deployment.ChainId, session.RpcUrl.ToString(), block, account, CliRun.FormatCai(balance), CliRun.FormatCai(stake),
            new UnbondingView(CliRun.FormatCai(unbonding.Amount), unbonding.ReleaseAt), registration, self.Known ? View(self) : null,
            votes, CliRun.FormatCai(settled), CliRun.FormatCai(claimable));
    }

    private static CandidateView View(CandidateInfo c) => new(
        c.Candidate, c.Kind.ToString().ToLowerInvariant(), c.Staker, c.Registered, c.Active, CliRun.FormatCai(c.SelfStake), CliRun.FormatCai(c.Votes),
        CliRun.FormatCai(c.Weight), c.CommissionBps, c.Intro);

    private static void Print(CliContext ctx, ChainStatus s)
    {
        var w = ctx.Out;
        w.WriteLine($"account       {s.Account}   (chain {s.ChainId}, block {s.Block}, {s.RpcUrl})");
        w.WriteLine($"CAI balance   {s.CaiBalance}");
        w.WriteLine($"free stake    {s.Stake}");
        w.WriteLine($"unbonding     {s.Unbonding.Amount}{(s.Unbonding.ReleaseAt is { } at ? $" (withdrawable from {at:u})" : "")}");
        if (s.Registration is { } r)
        {
            w.WriteLine($"registered    {r.Kind} {r.Address} ({(r.Active ? "active" : r.Registered ? "inactive: below the minimum" : "deregistered")})");
            w.WriteLine($"  weight      {r.Weight} = self-stake {r.SelfStake} + votes {r.Votes}; commission {r.CommissionBps} bps");
        }
        else
        {
            w.WriteLine("registered    nothing");
        }
        if (s.Candidate is { } c)
        {
            w.WriteLine($"as candidate  {c.Kind} of staker {c.Staker} ({(c.Active ? "active" : "inactive")}), weight {c.Weight} = {c.SelfStake} + votes {c.Votes}");
        }
        w.WriteLine(s.Votes.Count == 0 ? "votes         none" : "votes");
        foreach (var v in s.Votes)
        {
            w.WriteLine($"  {v.Candidate}  {v.Amount}");
        }
        w.WriteLine($"rewards       {s.Rewards} settled, {s.Claimable} claimable (`cuckoo rewards claim`)");
    }

    private sealed record ChainStatus(
        long ChainId, string RpcUrl, long Block, Address Account, string CaiBalance, string Stake, UnbondingView Unbonding, CandidateView? Registration,
        CandidateView? Candidate, IReadOnlyList<VoteView> Votes, string Rewards, string Claimable);

    private sealed record UnbondingView(string Amount, DateTimeOffset? ReleaseAt);

    private sealed record CandidateView(
        Address Address, string Kind, Address Staker, bool Registered, bool Active, string SelfStake, string Votes, string Weight, int CommissionBps, string Intro);

    private sealed record VoteView(Address Candidate, string Amount);
}
