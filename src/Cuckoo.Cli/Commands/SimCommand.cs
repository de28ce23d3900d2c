using System.CommandLine;
using System.Globalization;
using Cuckoo.Simulation;
using Spectre.Console;

namespace Cuckoo.Cli.Commands;

/// <summary>
/// `cuckoo sim`: simulated miners, some faking, colluding or crashing, against the coordinator's real registry,
/// scheduler and trust keeper in this process; prints who was jailed, how soon, and what verification cost.
/// </summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var d = new SimulationSettings();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var miners = Int("--miners", "Miners in all, each of its own staker.", d.Miners);
        var fakers = Int("--fakers", "Miners faking a share of their results on their own.", d.Fakers);
        var fakeRate = Share("--fake-rate", "Share of its results a faker fakes.", d.FakeRate);
        var colluders = Int("--colluders", "Size of one group of colluders, faking the same tasks with the same bytes (0: none).", d.Colluders);
        var colludeRate = Share("--collude-rate", "Share of tasks the colluders fake.", d.ColludeRate);
        var crashers = Int("--crashers", "Honest miners whose runs sometimes fail or never answer.", d.Crashers);
        var crashRate = Share("--crash-rate", "Share of a crasher's runs that produce nothing.", d.CrashRate);
        var tasks = new Option<int?>("--tasks") { Description = "Tasks to run (default: 1,000 per miner)." };
        var auditRate = Share("--audit-rate", "Share of tasks the coordinator audits at random on a second miner.", d.AuditRate);
        var verify = Int("--verify", "Agreeing results every task asks for (its verify: k).", d.Verify);
        var seed = Int("--seed", "Seeds keys, stakes, misbehaviour, picks and audits.", d.Seed);
        var command = new Command("sim", "Simulate miners (honest, faking, colluding, crashing) against the real scheduler and trust keeper, and report who is caught how soon.")
        {
            miners, fakers, fakeRate, colluders, colludeRate, crashers, crashRate, tasks, auditRate, verify, seed, json,
        };
        CliRun.SetAction(command, json, async (ctx, ct) =>
        {
            var p = ctx.Parse;
            var settings = new SimulationSettings
            {
                Miners = p.GetValue(miners), Fakers = p.GetValue(fakers), FakeRate = p.GetValue(fakeRate), Colluders = p.GetValue(colluders),
                ColludeRate = p.GetValue(colludeRate), Crashers = p.GetValue(crashers), CrashRate = p.GetValue(crashRate), Tasks = p.GetValue(tasks),
                AuditRate = p.GetValue(auditRate), Verify = p.GetValue(verify), Seed = p.GetValue(seed),
            };
            if (settings.Problem() is { } problem)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", problem.TrimEnd('.'));
            }
            return await ctx.WaitAsync($"simulating {settings.TaskCount:N0} tasks on {settings.Miners} miners", () => Simulator.RunAsync(settings, ct));
        }, Print);
        return command;
    }

    private static Option<int> Int(string name, string description, int value) =>
        new(name) { Description = $"{description} Default: {value}.", DefaultValueFactory = _ => value };

    private static Option<double> Share(string name, string description, double value) =>
        new(name) { Description = FormattableString.Invariant($"{description} Default: {value}."), DefaultValueFactory = _ => value };

    private static void Print(CliContext ctx, SimulationReport r)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(ctx.Out) });
        if (!console.Profile.Out.IsTerminal)
        {
            console.Profile.Width = 200;
        }
        var s = r.Settings;
        console.WriteLine(Inv($"{s.Miners} miners ({s.Fakers} fakers at {Pct(s.FakeRate)}, {s.Colluders} colluders at {Pct(s.ColludeRate)}, {s.Crashers} crashers at {Pct(s.CrashRate)}), {r.Tasks:N0} tasks, audit rate {Pct(s.AuditRate)}, verify {s.Verify}, seed {s.Seed}: {r.Seconds:0.0} s"));
        var summary = new Table().AddColumns("FIGURE", "VALUE");
        Row(summary, "detection rate", Inv($"{Pct(r.DetectionRate)} ({r.LiarsJailed} of {r.Liars} liars jailed)"));
        Row(summary, "tasks until jailed", r.MedianTasksUntilJailed is { } median ? Inv($"median {median:0.#}, max {r.MaxTasksUntilJailed}") : "-");
        Row(summary, "liars not jailed", Inv($"{r.LiarsNotJailed}"));
        Row(summary, "false accusations", Inv($"{r.FalseAccusations} (honest or crashing miners jailed)"));
        Row(summary, "redundancy overhead", Inv($"{Pct(r.RedundancyOverhead)} ({r.ResultRuns:N0} result runs for {r.Tasks:N0} tasks)"));
        Row(summary, "faked outputs delivered", Inv($"{r.FakedOutputsDelivered} of {r.Completed:N0} completed tasks"));
        Row(summary, "tasks failed", r.FailureSamples is [var first, ..] ? Inv($"{r.Failed} (the first: {first})") : Inv($"{r.Failed}"));
        Row(summary, "slashes on chain", Inv($"{r.Slashes}"));
        var misses = r.GoalMisses();
        Row(summary, "goal", misses.Count == 0 ? "met" : "missed: " + string.Join("; ", misses));
        console.Write(summary);

        var kinds = new Table().AddColumns("KIND", "MINERS", "JAILED", "TASKS", "RESULTS", "FAKED", "LOST");
        foreach (var k in r.Kinds)
        {
            Row(kinds, Name(k.Kind), Inv($"{k.Miners}"), Inv($"{k.Jailed}"), Inv($"{k.Runs:N0}"), Inv($"{k.Results:N0}"), Inv($"{k.Faked:N0}"), Inv($"{k.Lost:N0}"));
        }
        console.Write(kinds);

        var notable = r.Miners.Where(m => m.Kind != MinerKind.Honest || m.TasksUntilJailed is not null).ToList();
        if (notable.Count > 0)
        {
            var table = new Table().AddColumns("MINER", "KIND", "STAKE (CAI)", "TASKS", "FAKED", "LOST", "JAILED AFTER", "SLASHED");
            foreach (var m in notable)
            {
                Row(table, m.Miner.ToString(), Name(m.Kind), m.Stake, Inv($"{m.Runs:N0}"), Inv($"{m.Faked}"), Inv($"{m.Lost}"),
                    m.TasksUntilJailed is { } n ? Inv($"{n} tasks") : "not jailed", Inv($"{m.Slashed}"));
            }
            console.Write(table);
        }
    }

    private static void Row(Table table, params string[] cells) => table.AddRow([.. cells.Select(c => new Text(c))]);

    private static string Pct(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Name(MinerKind kind) => kind.ToString().ToLowerInvariant();

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
