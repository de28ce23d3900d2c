using System.CommandLine;
using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Cli.Commands;

/// <summary>One mined transaction of a command.</summary>
internal sealed record SentTx(string Function, string Hash, long Block);

/// <summary>What a transaction command did: the account, its transactions and the figures that matter (amounts in CAI).</summary>
internal sealed record TransactionResult(string Action, Address Account, IReadOnlyList<SentTx> Transactions, IReadOnlyDictionary<string, string> Details);

/// <summary>
/// The stakers' transaction commands: `faucet`, `stake`, `unstake`, `withdraw`, `vote`, `unvote`,
/// `miner register | deregister`, `coordinator register | deregister`, `rewards claim`.
/// </summary>
internal static class StakingCommands
{
    private delegate Task<TransactionResult> Run(ChainSession session, TransactionSender sender, CancellationToken cancellationToken);

    /// <summary>ETH the devnet faucet gives an address that has less than one, for gas.</summary>
    private const int DevnetGasEth = 10;

    public static Command Faucet() => Transaction(
        "faucet",
        $"Get test CAI from the token's faucet (test networks; once per cooldown per address); on the devnet also {DevnetGasEth} ETH for gas when the address has less than 1.",
        [],
        (ctx, _) => async (session, sender, ct) =>
        {
            var sent = new List<SentTx>();
            var details = new List<(string, string)>();
            // A new key has no ETH to pay the faucet's gas; on the devnet a development account gives it some.
            if (await ctx.WaitAsync("sending ETH for gas", () => session.FundGasOnDevnetAsync(sender.Address, DevnetGasEth, ct)) is { } funded)
            {
                sent.Add(Tx("fund gas (ETH)", funded));
                details.Add(("eth", DevnetGasEth.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else if ((await session.EthBalanceAsync(sender.Address, ct)).IsZero)
            {
                throw new CliException(ExitCodes.Failed, "no-gas", $"{sender.Address} has no ETH to pay for the faucet's gas: send it some ETH first");
            }
            TransactionOutcome outcome;
            try
            {
                outcome = await ctx.WaitAsync("waiting for the faucet transaction", () => session.SendAsync(() => session.Token.FaucetAsync(sender, ct), ct));
            }
            catch (Exception ex) when (sent.Count > 0 && CliRun.Map(ex) is { } failure)
            {
                throw new CliException(failure.ExitCode, failure.Kind, $"{failure.Message} (the {DevnetGasEth} ETH for gas, {sent[0].Hash}, went through; the CAI did not)", ex);
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
            return async (session, sender, ct) =>
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
            return async (session, sender, ct) =>
            {
                var outcome = await ctx.WaitAsync($"requesting to unstake {CliRun.FormatCai(wei)} CAI", () => session.SendAsync(() => session.Staking.RequestUnstakeAsync(sender, wei, ct), ct));
                var e = outcome.Single<UnstakeRequested>();
                return Result("unstake", sender, [Tx("requestUnstake", outcome)],
                    ("amount", CliRun.FormatCai(e.Amount)), ("unbonding", CliRun.FormatCai(e.Unbonding)), ("releaseAt", e.ReleaseAt.ToString("u")));
            };
        });
    }

    public static Command Withdraw() => Transaction("withdraw", "Pay out unbonded stake once its unbonding period is over.", [], (ctx, _) =>
        async (session, sender, ct) =>
        {
            var outcome = await ctx.WaitAsync("withdrawing", () => session.SendAsync(() => session.Staking.WithdrawAsync(sender, ct), ct));
            return Result("withdraw", sender, [Tx("withdraw", outcome)], ("amount", CliRun.FormatCai(outcome.Single<Withdrawn>().Amount)));
        });

    public static Command Vote() => VoteCommand("vote", "Back a registered miner or coordinator with free stake.", up: true);

    public static Command Unvote() => VoteCommand("unvote", "Move votes back into free stake.", up: false);

    public static Command Miner()
    {
        var command = new Command("miner", "Miner registration on the staking contract.");
        command.Subcommands.Add(Register("register", "Register a miner address for your stake (needs the minimum miner self-stake, 20,000 CAI on the devnet).", coordinator: false));
        command.Subcommands.Add(Deregister("miner"));
        return command;
    }

    public static Command Coordinator()
    {
        var command = new Command("coordinator", "Coordinator registration on the staking contract.");
        command.Subcommands.Add(Register("register", "Register a coordinator address for your stake (needs the minimum coordinator self-stake, 2,000,000 CAI on the devnet).", coordinator: true));
        command.Subcommands.Add(Deregister("coordinator"));
        return command;
    }

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
            return async (session, sender, ct) =>
            {
                var list = explicitCandidates.Count > 0 ? explicitCandidates : await ChainQueries.CandidatesVotedByAsync(session, sender.Address, ct);
                var outcome = await ctx.WaitAsync("claiming rewards", () => session.SendAsync(() => session.Staking.ClaimAsync(sender, list, ct), ct));
                return Result("rewards claim", sender, [Tx("claim", outcome)],
                    ("amount", CliRun.FormatCai(outcome.Single<RewardsClaimed>().Amount)), ("candidates", string.Join(",", list)));
            };
        }));
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
            return async (session, sender, ct) =>
            {
                var outcome = await ctx.WaitAsync($"{name} {CliRun.FormatCai(wei)} CAI for {who}",
                    () => session.SendAsync(() => up ? session.Staking.VoteAsync(sender, who, wei, ct) : session.Staking.UnvoteAsync(sender, who, wei, ct), ct));
                var now = await session.Staking.VoteOfAsync(sender.Address, who);
                return Result(name, sender, [Tx(name, outcome)], ("candidate", who.ToString()), ("amount", CliRun.FormatCai(wei)), ("yourVotes", CliRun.FormatCai(now)));
            };
        });
    }

    private static Command Register(string name, string description, bool coordinator)
    {
        var candidate = new Argument<string>("address") { Description = "The address to register (the miner's or coordinator's own key, not the staker's)." };
        var intro = new Option<string>("--intro") { Description = "A short public description.", DefaultValueFactory = _ => "" };
        var kind = coordinator ? "coordinator" : "miner";
        return Transaction(name, description, [candidate, intro], (ctx, _) =>
        {
            var who = CliRun.ParseAddress(ctx.Parse.GetValue(candidate), $"{kind} address");
            var text = ctx.Parse.GetValue(intro) ?? "";
            return async (session, sender, ct) =>
            {
                var outcome = await ctx.WaitAsync($"registering {kind} {who}", () => session.SendAsync(() => coordinator
                    ? session.Staking.RegisterCoordinatorAsync(sender, who, text, ct)
                    : session.Staking.RegisterMinerAsync(sender, who, text, ct), ct));
                var info = await session.Staking.CandidateOfAsync(who);
                return Result($"{kind} register", sender, [Tx(coordinator ? "registerCoordinator" : "registerMiner", outcome)],
                    (kind, who.ToString()), ("active", info.Active ? "true" : "false"), ("weight", CliRun.FormatCai(info.Weight)));
            };
        });
    }

    private static Command Deregister(string kind) => Transaction("deregister", $"End your {kind} registration (the address stays bound to you).", [], (ctx, _) =>
        async (session, sender, ct) =>
        {
            var outcome = await ctx.WaitAsync("deregistering", () => session.SendAsync(() => session.Staking.DeregisterAsync(sender, ct), ct));
            return Result($"{kind} deregister", sender, [Tx("deregister", outcome)], ("candidate", outcome.Single<Deregistered>().Candidate.ToString()));
        });

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
            return await run(session, session.Sender(key), ct);
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
    /// <summary>Candidates <paramref name="voter"/> has ever voted for, from the contract's <c>Voted</c> events since deployment.</summary>
    public static async Task<IReadOnlyList<Address>> CandidatesVotedByAsync(ChainSession session, Address voter, CancellationToken cancellationToken)
    {
        var head = await session.Client.GetBlockNumberAsync(cancellationToken);
        var from = Math.Max(0, session.Deployment.DeployBlock);
        var events = await session.Staking.GetEventsAsync(from, head, cancellationToken);
        return events.OfType<Voted>().Where(v => v.Voter == voter).Select(v => v.Candidate).Distinct().ToList();
    }
}
