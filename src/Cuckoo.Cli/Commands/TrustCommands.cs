using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Gateway;
using Cuckoo.Staking;
using Spectre.Console;

namespace Cuckoo.Cli.Commands;

/// <summary>What a coordinator's trust keeper reports, read from its gateway: the rewards each miner earned and why, and who is jailed.</summary>
internal static class TrustCommands
{
    /// <summary><c>cuckoo rewards earned</c>: per reward period, each miner's verified work, its share of the budget and the deposit.</summary>
    public static Command Earned()
    {
        var o = new GatewayCliOptions();
        var command = o.With(new Command("earned",
            "What each miner earned from a coordinator and why: its verified tasks per reward period, its share of the period's budget, the deposit on chain, and forfeits by jailed miners."));
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            using var gateway = GatewayClient.Open(ctx, o);
            var rewards = await gateway.GetJsonAsync<RewardsReport>("v1/rewards", ct);
            var jail = await gateway.GetJsonAsync<JailList>("v1/jail", ct);
            return new EarnedView(rewards, jail.Miners);
        }, Print);
        return command;
    }

    private static void Print(CliContext ctx, EarnedView view)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(ctx.Out) });
        if (!console.Profile.Out.IsTerminal)
        {
            console.Profile.Width = 240;
        }
        var table = new Table().AddColumns("PERIOD", "MINER", "VERIFIED TASKS", "EARNED (CAI)", "DEPOSIT", "WHY");
        foreach (var period in view.Rewards.Closed.Append(view.Rewards.Current))
        {
            var total = period.Miners.Where(m => !m.Forfeited).Sum(m => m.Work);
            var span = period.End is { } end ? $"#{period.Index} {period.Start:u} to {end:u}" : $"#{period.Index} open since {period.Start:u}";
            foreach (var m in period.Miners)
            {
                var earned = m.Amount is { } wei ? Cai.Format(BigInteger.Parse(wei, CultureInfo.InvariantCulture)) : "-";
                var why = m.Forfeited
                    ? "jailed: its work is forfeited"
                    : total == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{m.Work} of {total} verified tasks = {100.0 * m.Work / total:F1}% of {Cai.Format(BigInteger.Parse(period.Budget, CultureInfo.InvariantCulture))} CAI");
                var deposit = m.Deposit switch
                {
                    DepositStatus.Deposited => $"deposited {m.TransactionHash}",
                    DepositStatus.Failed or DepositStatus.Retrying => $"{m.Deposit.ToString().ToLowerInvariant()}: {m.Error}",
                    _ => m.Deposit.ToString().ToLowerInvariant(),
                };
                table.AddRow(Cells(span, m.Miner.ToString(), m.Work.ToString(CultureInfo.InvariantCulture), earned, deposit, why));
            }
        }
        console.Write(table);
        foreach (var j in view.Jailed)
        {
            ctx.Out.WriteLine($"jailed {j.Miner} since {j.At:u}: {j.Reason}; evidence {string.Join(", ", j.EvidenceIds)}; {j.Slashed} slash(es) on chain");
        }
    }

    private static Spectre.Console.Rendering.IRenderable[] Cells(params string[] texts) => [.. texts.Select(t => new Text(t))];

    private sealed record EarnedView(RewardsReport Rewards, IReadOnlyList<JailEntry> Jailed);
}
