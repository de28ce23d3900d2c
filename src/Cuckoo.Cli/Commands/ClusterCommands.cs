using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cuckoo.Coordinator.Admin;
using Cuckoo.Staking;
using Spectre.Console;

namespace Cuckoo.Cli.Commands;

/// <summary>The options every admin command shares; each command gets its own instances.</summary>
internal sealed class AdminCliOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print the result (or the error) as JSON." };

    public Option<string?> Admin { get; } = new("--admin")
    {
        Description = "The coordinator's admin URL, e.g. https://127.0.0.1:9443/admin (default: env CUCKOO_ADMIN_URL, else the access file's).",
    };

    public Option<string?> TokenFile { get; } = new("--admin-token-file")
    {
        Description = "The coordinator's access file, or a file whose first line is the admin token (default: env CUCKOO_ADMIN_TOKEN, else data/coordinator/admin.json).",
    };

    public Option<string?> Thumbprint { get; } = new("--admin-thumbprint")
    {
        Description = "SHA-256 (hex) of the admin endpoint's certificate to pin (default: env CUCKOO_ADMIN_THUMBPRINT, else the access file's for its own URL).",
    };

    public Command With(Command command)
    {
        command.Options.Add(Json);
        command.Options.Add(Admin);
        command.Options.Add(TokenFile);
        command.Options.Add(Thumbprint);
        return command;
    }
}

/// <summary>
/// The operators' palette over the coordinator's admin endpoint: `cluster show | leave | down | tail` and `miners`.
/// </summary>
internal static class ClusterCommands
{
    /// <summary>The CLI's JSON, plus wei amounts as decimal strings (as the admin endpoint sends them).</summary>
    private static readonly JsonSerializerOptions Json = new(CliRun.JsonOptions) { Converters = { new BigIntegerStringConverter() } };

    private static readonly JsonSerializerOptions LineJson = new(Json) { WriteIndented = false };

    public static Command Cluster()
    {
        var command = new Command("cluster", "Operate the coordinator's Akka cluster through its admin endpoint.");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Act("leave", "Ask a member to leave the cluster gracefully (it hands over, exits, and is removed)."));
        command.Subcommands.Add(Act("down", "Mark a member down: the leader removes it at once, without a handover (for a node that is gone or stuck)."));
        command.Subcommands.Add(Tail());
        return command;
    }

    public static Command Miners()
    {
        var o = new AdminCliOptions();
        var command = o.With(new Command("miners", "List the miners the coordinator has admitted: node, models, capacity, provider, weight, jail."));
        Set<List<AdmittedMinerView>>(command, o, _ => (admin, ct) => admin.MinersAsync(ct), PrintMiners);
        return command;
    }

    private static Command Show()
    {
        var o = new AdminCliOptions();
        var command = o.With(new Command("show", "List the cluster's members: status, reachability, roles, up time and the admitted miner on each."));
        Set<ClusterMembersView>(command, o, _ => (admin, ct) => admin.MembersAsync(ct), PrintMembers);
        return command;
    }

    private static Command Act(string action, string description)
    {
        var o = new AdminCliOptions();
        var member = new Argument<string>("member") { Description = "The member: its Akka address (akka.ssl.tcp://sys@host:port), its host:port, or the miner address (0x…) on it." };
        var command = o.With(new Command(action, description) { member });
        Set<MemberActionView>(command, o, ctx =>
        {
            var name = ctx.Parse.GetValue(member);
            return string.IsNullOrWhiteSpace(name)
                ? throw new CliException(ExitCodes.BadInput, "bad-input", "MEMBER is required: an Akka address, host:port or miner address")
                : (admin, ct) => admin.ActAsync(name.Trim(), action, ct);
        }, (ctx, done) => ctx.Out.WriteLine(done.Action == "leave"
            ? $"asked {done.Address} (uid {done.Uid}, {done.Status}) to leave; `cuckoo cluster tail` shows it exit and be removed"
            : $"marked {done.Address} (uid {done.Uid}, was {done.Status}) down; the leader removes it"));
        return command;
    }

    private static Command Tail()
    {
        var o = new AdminCliOptions();
        var count = new Option<int?>("--count") { Description = "Exit after this many events; the current members come first, one event each (default: until Ctrl+C)." };
        var command = o.With(new Command("tail", "Follow the cluster's membership and reachability events as they happen, one line each.") { count });
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var wanted = ctx.Parse.GetValue(count);
            if (wanted is < 1)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", "--count must be at least 1");
            }
            using var admin = AdminClient.Open(ctx, o);
            var seen = 0;
            try
            {
                await foreach (var e in admin.EventsAsync(ct))
                {
                    await ctx.Out.WriteLineAsync(ctx.Json
                        ? JsonSerializer.Serialize(e, LineJson)
                        : $"{e.At:u} {e.Type,-17} {e.Address} {e.Status}{(e.PreviousStatus is { } p ? $" (was {p})" : "")} roles={string.Join(',', e.Roles)}");
                    if (++seen == wanted)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C: the normal way to stop following.
            }
            return CliRun.Printed.Instance;
        }, (_, _) => { });
        return command;
    }

    /// <summary>
    /// A command that asks the admin endpoint: <paramref name="prepare"/> checks the arguments (before any access file
    /// is read) and returns the call; --json prints the endpoint's shapes, else <paramref name="human"/>.
    /// </summary>
    private static void Set<T>(Command command, AdminCliOptions o, Func<CliContext, Func<AdminClient, CancellationToken, Task<T>>> prepare, Action<CliContext, T> human)
        where T : notnull =>
        CliRun.SetAction<object>(command, o.Json, async (ctx, ct) =>
        {
            var call = prepare(ctx);
            using var admin = AdminClient.Open(ctx, o);
            var result = await call(admin, ct);
            if (!ctx.Json)
            {
                return result;
            }
            // CliRun's JSON has no converter for the wei amounts; these shapes are printed here.
            await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
            return CliRun.Printed.Instance;
        }, (ctx, result) => human(ctx, (T)result));

    private static void PrintMembers(CliContext ctx, ClusterMembersView view)
    {
        var console = Console(ctx);
        var unreachable = view.Members.Count(m => !m.Reachable);
        console.WriteLine($"self {view.Self}, leader {view.Leader ?? "none yet"}, {view.Members.Count} member(s){(unreachable > 0 ? $", {unreachable} unreachable" : "")}");
        var table = new Table().AddColumns("ADDRESS", "STATUS", "REACHABLE", "ROLES", "UP FOR", "MINER", "WEIGHT (CAI)", "MODELS", "PROVIDER");
        foreach (var m in view.Members)
        {
            table.AddRow(Cells(
                m.Address, m.Status, m.Reachable ? "yes" : "NO", string.Join(", ", m.Roles), Uptime(m.UptimeSeconds), m.Miner?.Address.ToString() ?? "-",
                m.Miner is { } w ? Cai.Format(w.Weight) : "-", m.Miner is { } x ? string.Join(", ", x.Models) : "-",
                m.Miner is { } y ? y.Provider + (y.Jailed ? " (jailed)" : "") : "-"));
        }
        console.Write(table);
    }

    private static void PrintMiners(CliContext ctx, List<AdmittedMinerView> miners)
    {
        var console = Console(ctx);
        if (miners.Count == 0)
        {
            console.WriteLine("no miners admitted");
            return;
        }
        var table = new Table().AddColumns("MINER", "NODE", "MODELS", "CAPACITY", "PROVIDER", "VERSION", "WEIGHT (CAI)", "ADMITTED", "JAILED");
        foreach (var m in miners)
        {
            table.AddRow(Cells(
                m.Miner.ToString(), m.NodeAddress ?? "not joined", string.Join(", ", m.Models), m.Capacity.ToString(CultureInfo.InvariantCulture), m.Provider,
                m.SoftwareVersion, Cai.Format(m.Weight), m.AdmittedAt.ToString("u", CultureInfo.InvariantCulture), m.Jailed ? $"yes: {m.JailReason}" : "no"));
        }
        console.Write(table);
    }

    /// <summary>Spectre writes to the command's output; away from a terminal it must not wrap at its default 80 columns.</summary>
    private static IAnsiConsole Console(CliContext ctx)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(ctx.Out) });
        if (!console.Profile.Out.IsTerminal)
        {
            console.Profile.Width = 240;
        }
        return console;
    }

    private static Spectre.Console.Rendering.IRenderable[] Cells(params string[] texts) => [.. texts.Select(t => new Text(t))];

    private static string Uptime(double? seconds)
    {
        if (seconds is not { } s)
        {
            return "-";
        }
        var t = TimeSpan.FromSeconds(s);
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h" : t.TotalHours >= 1 ? $"{t.Hours}h {t.Minutes}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds}s" : $"{t.Seconds}s";
    }
}
