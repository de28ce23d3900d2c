using System.CommandLine;
using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;

namespace Cuckoo.Cli.Commands;

/// <summary>One mined transaction of a command.</summary>
internal sealed record SentTx(string Function, string Hash, long Block);

/// <summary>What a transaction command did: the account, its transactions and the figures that matter (amounts in CAI).</summary>
internal sealed record TransactionResult(string Action, Address Account, IReadOnlyList<SentTx> Transactions, IReadOnlyDictionary<string, string> Details);

/// <summary>
/// The stakers' transaction commands: `faucet`, `stake`, `unstake`, `withdraw`, `vote`, `unvote`,
/// `miner register | deregister`, `coordinator register | deregister`, `rewards claim`.
/// </summary>
internal static partial class StakingCommands
{
    private delegate Task<TransactionResult> Run(ChainSession session, TransactionSender sender, EthKey key, CancellationToken cancellationToken);

    /// <summary>ETH the devnet faucet gives an address that has less than <see cref="DevnetFaucet.MinimumGasBalance"/>, for gas.</summary>
    private const int DevnetGasEth = 10;

    public static Command Faucet() => Transaction(
        "faucet",
        $"Get test CAI from the token's faucet (test networks; once per cooldown per address); on the devnet also {DevnetGasEth} ETH for gas when the address has less than 1.",
        [],
        (ctx, _) => async (session, sender, key, ct) =>
        {
            var sent = new List<SentTx>();
            var details = new List<(string, string)>();
            TransactionOutcome outcome;
            if (session.IsDevnet)
            {
                // A new key has no ETH to pay the faucet's gas; on the devnet a development account gives it some first.
                var before = await session.EthBalanceAsync(sender.Address, ct);
                DevnetFaucetResult funded;
                try
                {
                    funded = await ctx.WaitAsync("funding gas and calling the faucet", () => session.SendAsync(() =>
                        DevnetFaucet.FundAsync(session.Token, key, gasFunding: DevnetGasEth * BigInteger.Pow(10, 18), cancellationToken: ct), ct));
                }
                catch (Exception ex) when (before < DevnetFaucet.MinimumGasBalance && CliRun.Map(ex) is { } failure)
                {
                    if (await session.EthBalanceAsync(sender.Address, CancellationToken.None) < DevnetFaucet.MinimumGasBalance)
                    {
                        throw;
                    }
                    throw new CliException(failure.ExitCode, failure.Kind, $"{failure.Message} (the {DevnetGasEth} ETH for gas went through; the CAI did not)", ex);
                }
                if (funded.EthTransactionHash is { } hash)
                {
                    var receipt = await session.Client.GetTransactionReceiptAsync(hash, ct);
                    sent.Add(new SentTx("fund gas (ETH)", hash, receipt?.BlockNumber ?? 0));
                    details.Add(("eth", Cai.Format(funded.EthSent)));
                }
                outcome = funded.Faucet;
            }
            else
            {
                if ((await session.EthBalanceAsync(sender.Address, ct)).IsZero)
                {
                    throw new CliException(ExitCodes.Failed, "no-gas", $"{sender.Address} has no ETH to pay for the faucet's gas: send it some ETH first");
                }
                outcome = await ctx.WaitAsync("waiting for the faucet transaction", () => session.SendAsync(() => session.Token.FaucetAsync(sender, ct), ct));
            }
            sent.Add(Tx("faucet", outcome));
            var used = outcome.Single<FaucetUsed>();
            details.Insert(0, ("amount", CliRun.FormatCai(used.Amount)));
            details.Add(("nextAvailableAt", used.NextAvailableAt.ToString("u")));
            return Result("faucet", sender, sent, [.. details]);
        },
        needsGas: false);

    public static Command Stake()
    {
        var amount = AmountArgument("CAI to bond, e.g. 30000 or 0.5.");
        return Transaction("stake", "Bond CAI as stake (approves the staking contract for the amount first when needed).", [amount], (ctx, o) =>
        {
            var wei = CliRun.ParseAmount(ctx.Parse.GetValue(amount));
            return async (session, sender, key, ct) =>
            {
                var me = sender.Address;
                var balance = await session.Token.BalanceOfAsync(me);
                if (balance < wei)
                {
                    throw new CliException(ExitCodes.Failed, "insufficient-balance",
                        $"insufficient CAI balance: {me} has {CliRun.FormatCai(balance)} CAI, needs {CliRun.FormatCai(wei)} CAI (test networks: `cuckoo faucet`)");
                }
                var sent = new List<SentTx>();
                if (await session.Token.AllowanceAsync(me, session.Staking.Address) < wei)
                {
                    try
                    {
                        var approved = await ctx.WaitAsync("approving the staking contract", () => session.SendAsync(() => session.Token.ApproveAsync(sender, session.Staking.Address, wei, ct), ct));
                        sent.Add(Tx("approve", approved));
                    }
                    catch (Exception ex) when (CliRun.Map(ex) is { } failure)
                    {
                        throw new CliException(failure.ExitCode, failure.Kind, $"{failure.Message} (that is the approval; the stake was not sent)", ex);
                    }
                }
                TransactionOutcome outcome;
                try
                {
                    outcome = await ctx.WaitAsync($"staking {CliRun.FormatCai(wei)} CAI", () => session.SendAsync(() => session.Staking.StakeAsync(sender, wei, ct), ct));
                }
                catch (Exception ex) when (sent.Count > 0 && CliRun.Map(ex) is { } failure)
                {
                    // Half done: say what stands, so that a retry knows the approval is already in place.
                    throw new CliException(failure.ExitCode, failure.Kind, $"{failure.Message} (the approval {sent[0].Hash} went through; the stake did not)", ex);
                }
                sent.Add(Tx("stake", outcome));
                var staked = outcome.Single<Staked>();
                return Result("stake", sender, sent, ("amount", CliRun.FormatCai(staked.Amount)), ("selfStake", CliRun.FormatCai(staked.SelfStake)));
            };
        });
    }

    public static Command Unstake()
    {
        var amount = AmountArgument("CAI of free stake to start unbonding.");
        return Transaction("unstake", "Start unbonding free stake; withdraw it after the unbonding period (it can still be slashed meanwhile).", [amount], (ctx, o) =>
        {
            var wei = CliRun.ParseAmount(ctx.Parse.GetValue(amount));
            return async (session, sender, key, ct) =>
            {
                var outcome = await ctx.WaitAsync($"requesting to unstake {CliRun.FormatCai(wei)} CAI", () => session.SendAsync(() => session.Staking.RequestUnstakeAsync(sender, wei, ct), ct));
                var e = outcome.Single<UnstakeRequested>();
                // Stake that backs a registration unbonds in that candidate's pool, where it stays slashable.
                return Result("unstake", sender, [Tx("requestUnstake", outcome)],
                    ("amount", CliRun.FormatCai(e.Amount)), ("unbonding", CliRun.FormatCai(e.Unbonding)), ("pool", PoolName(e.Candidate)),
                    ("releaseAt", e.ReleaseAt.ToString("u")));
            };
        });
    }

    /// <summary>
    /// `withdraw [--candidate ADDRESS]`: pays out every unbonding position whose period is over (what a staker means
    /// by "withdraw"), or only the one on that candidate's pool (<c>0x0…0</c>: stake that backed nothing).
    /// </summary>
    public static Command Withdraw()
    {
        var candidate = new Option<string?>("--candidate")
        {
            Description = "Withdraw only the position in this candidate's unbonding pool (0x0000000000000000000000000000000000000000: stake that backed nothing); default: every released position.",
        };
        return Transaction("withdraw", "Pay out unbonded stake and votes whose unbonding period is over.", [candidate], (ctx, _) =>
        {
            var only = ctx.Parse.GetValue(candidate) is { } text ? CliRun.ParseAddress(text, "--candidate") : (Address?)null;
            return async (session, sender, key, ct) =>
            {
                var pools = only is { } one ? [one] : await ChainQueries.UnbondingPoolsOfAsync(session, sender.Address, ct);
                var now = await ChainQueries.ChainTimeAsync(session, ct);
                var positions = new List<Unbonding>();
                foreach (var pool in pools)
                {
                    positions.Add(await session.Staking.UnbondingOfAsync(sender.Address, pool));
                }
                var released = only is not null ? positions : positions.Where(p => p.ReleasedAt(now)).ToList();
                if (released.Count == 0)
                {
                    var next = positions.Where(p => p.Amount > 0).OrderBy(p => p.ReleaseAt).FirstOrDefault();
                    throw new CliException(ExitCodes.Failed, "nothing-to-withdraw", next is null
                        ? $"{sender.Address} has nothing unbonding"
                        : $"nothing is released yet: {CliRun.FormatCai(next.Amount)} CAI in {PoolName(next.Candidate)} is unbonding until {next.ReleaseAt:u} (on the devnet: `cuckoo devnet advance --time 7d`)");
                }
                var sent = new List<SentTx>();
                BigInteger total = 0;
                foreach (var position in released)
                {
                    try
                    {
                        var outcome = await ctx.WaitAsync($"withdrawing from {PoolName(position.Candidate)}",
                            () => session.SendAsync(() => session.Staking.WithdrawAsync(sender, position.Candidate, ct), ct));
                        sent.Add(Tx("withdraw", outcome));
                        total += outcome.Single<Withdrawn>().Amount;
                    }
                    catch (Exception ex) when (sent.Count > 0 && CliRun.Map(ex) is { } failure)
                    {
                        throw new CliException(failure.ExitCode, failure.Kind,
                            $"{failure.Message} (the withdrawals {string.Join(", ", sent.Select(t => t.Hash))} went through, {CliRun.FormatCai(total)} CAI; the rest did not)", ex);
                    }
                }
                return Result("withdraw", sender, sent, ("amount", CliRun.FormatCai(total)), ("pools", string.Join(",", released.Select(p => p.Candidate))));
            };
        });
    }

    public static Command Vote() => VoteCommand("vote", "Back a registered miner or coordinator with free stake; the votes count at once and earn rewards from the next epoch.", up: true);

    public static Command Unvote() => VoteCommand("unvote", "Take votes back: they unbond on that candidate for the unbonding period (slashable, earning nothing), then `withdraw`.", up: false);

    public static Command Rewards()
    {
        var command = new Command("rewards", "Rewards earned as a miner's staker (commission) or as a voter.");
        var candidates = new Option<string[]>("--candidate")
        {
            Description = "Settle vote rewards on this candidate (repeatable; default: every candidate the account has voted for).",
        };
        command.Subcommands.Add(Transaction("claim", "Claim every reward owed to the account.", [candidates], (ctx, _) =>
        {
            var explicitCandidates = (ctx.Parse.GetValue(candidates) ?? []).Select(c => CliRun.ParseAddress(c, "--candidate")).ToList();
            return async (session, sender, key, ct) =>
            {
                var list = explicitCandidates.Count > 0 ? explicitCandidates : await ChainQueries.CandidatesVotedByAsync(session, sender.Address, ct);
                var outcome = await ctx.WaitAsync("claiming rewards", () => session.SendAsync(() => session.Staking.ClaimAsync(sender, list, ct), ct));
                return Result("rewards claim", sender, [Tx("claim", outcome)],
                    ("amount", CliRun.FormatCai(outcome.Single<RewardsClaimed>().Amount)), ("candidates", string.Join(",", list)));
            };
        }));
        command.Subcommands.Add(TrustCommands.Earned());
        return command;
    }

    private static Command VoteCommand(string name, string description, bool up)
    {
        var candidate = new Argument<string>("candidate") { Description = "The miner or coordinator address (EIP-55 checksummed, or all lower/upper case)." };
        var amount = AmountArgument("CAI to move.");
        return Transaction(name, description, [candidate, amount], (ctx, _) =>
        {
            var who = CliRun.ParseAddress(ctx.Parse.GetValue(candidate), "candidate");
            var wei = CliRun.ParseAmount(ctx.Parse.GetValue(amount));
            return async (session, sender, key, ct) =>
            {
                var outcome = await ctx.WaitAsync($"{name} {CliRun.FormatCai(wei)} CAI for {who}",
                    () => session.SendAsync(() => up ? session.Staking.VoteAsync(sender, who, wei, ct) : session.Staking.UnvoteAsync(sender, who, wei, ct), ct));
                var now = await session.Staking.VoteOfAsync(sender.Address, who);
                var details = new List<(string, string)> { ("candidate", who.ToString()), ("amount", CliRun.FormatCai(wei)), ("yourVotes", CliRun.FormatCai(now)) };
                if (up)
                {
                    // No event marks an epoch boundary: the time is the epoch times the epoch length.
                    var voted = outcome.Single<Voted>();
                    var epochLength = await session.Staking.EpochLengthAsync();
                    details.Add(("earningFromEpoch", voted.EarningFromEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    details.Add(("earningFrom", CuckooStakingClient.EpochStart(voted.EarningFromEpoch, epochLength).ToString("u")));
                }
                else
                {
                    var unvoted = outcome.Single<Unvoted>();
                    details.Add(("unbonding", CliRun.FormatCai(unvoted.Unbonding)));
                    details.Add(("releaseAt", unvoted.ReleaseAt.ToString("u")));
                }
                return Result(name, sender, [Tx(name, outcome)], [.. details]);
            };
        });
    }

    private static string PoolName(Address candidate) => candidate.IsZero ? "the pool of stake that backed nothing" : $"{candidate}'s pool";

    private static Argument<string> AmountArgument(string description) => new("amount") { Description = description };

    /// <summary>
    /// A command that signs: <paramref name="prepare"/> checks the arguments (bad input fails before any key or
    /// node is touched), then the key is decrypted, the chain checked, and the returned run sends.
    /// </summary>
    private static Command Transaction(string name, string description, IEnumerable<Symbol> symbols, Func<CliContext, CliOptions, Run> prepare, bool needsGas = true)
    {
        var o = new CliOptions();
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument a:
                    command.Arguments.Add(a);
                    break;
                case Option opt:
                    command.Options.Add(opt);
                    break;
            }
        }
        o.WithSigner(command);
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var run = prepare(ctx, o);
            var key = KeyRing.Load(ctx, o, KeyRing.ResolveKeyFile(ctx, o));
            using var session = await ChainSession.OpenAsync(ctx, o, ct);
            if (needsGas && (await session.EthBalanceAsync(key.Address, ct)).IsZero)
            {
                var hint = session.IsDevnet ? "`cuckoo faucet` on the devnet gives it ETH as well as CAI" : "send it some ETH first";
                throw new CliException(ExitCodes.Failed, "no-gas", $"{key.Address} has no ETH to pay for gas: {hint}");
            }
            return await run(session, session.Sender(key), key, ct);
        }, Print);
        return command;
    }

    private static void Print(CliContext ctx, TransactionResult r)
    {
        ctx.Out.WriteLine($"{r.Action}: done for {r.Account}");
        foreach (var (k, v) in r.Details)
        {
            ctx.Out.WriteLine($"  {k,-16}{v}");
        }
        foreach (var t in r.Transactions)
        {
            ctx.Out.WriteLine($"  {t.Function,-16}{t.Hash} (block {t.Block})");
        }
    }

    private static SentTx Tx(string function, TransactionOutcome outcome) => new(function, outcome.TransactionHash, outcome.BlockNumber);

    private static TransactionResult Result(string action, TransactionSender sender, IReadOnlyList<SentTx> sent, params (string Key, string Value)[] details) =>
        new(action, sender.Address, sent, details.ToDictionary(d => d.Key, d => d.Value));
}

/// <summary>Reads the CLI needs beyond single views.</summary>
internal static class ChainQueries
{
    /// <summary>The pools <paramref name="staker"/> ever unbonded into (unstakes, deregistrations, unvotes), from the contract's events since deployment.</summary>
    public static async Task<IReadOnlyList<Address>> UnbondingPoolsOfAsync(ChainSession session, Address staker, CancellationToken cancellationToken)
    {
        var head = await session.Client.GetBlockNumberAsync(cancellationToken);
        var events = await session.Staking.GetEventsAsync(Math.Max(0, session.Deployment.DeployBlock), head, cancellationToken);
        return events.Select(e => e switch
            {
                UnstakeRequested u when u.Staker == staker => u.Candidate,
                Unvoted u when u.Voter == staker => u.Candidate,
                _ => (Address?)null,
            })
            .OfType<Address>().Distinct().ToList();
    }

    /// <summary>The latest block's timestamp: the contract's "now" (a devnet's clock may be ahead of this machine's).</summary>
    public static async Task<DateTimeOffset> ChainTimeAsync(ChainSession session, CancellationToken cancellationToken)
    {
        var block = await session.Client.GetBlockByNumberAsync(BlockParameter.Latest, cancellationToken)
                    ?? throw new CliException(ExitCodes.Chain, "rpc-error", $"the node at {session.RpcUrl} has no latest block");
        return DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp);
    }

    /// <summary>Candidates <paramref name="voter"/> has ever voted for, from the contract's <c>Voted</c> events since deployment.</summary>
    public static async Task<IReadOnlyList<Address>> CandidatesVotedByAsync(ChainSession session, Address voter, CancellationToken cancellationToken)
    {
        var head = await session.Client.GetBlockNumberAsync(cancellationToken);
        var from = Math.Max(0, session.Deployment.DeployBlock);
        var events = await session.Staking.GetEventsAsync(from, head, cancellationToken);
        return events.OfType<Voted>().Where(v => v.Voter == voter).Select(v => v.Candidate).Distinct().ToList();
    }
}
