using System.CommandLine;
using System.Globalization;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Spectre.Console;

namespace Cuckoo.Cli.Commands;

/// <summary>`cuckoo devnet up | down | advance`: a local Hardhat chain with the CAI token and staking contracts deployed, and its clock.</summary>
internal static class DevnetCommand
{
    public static Command Create()
    {
        var command = new Command("devnet", "Run a local chain (Hardhat) with the CAI token and staking contracts for development.");
        command.Subcommands.Add(Up());
        command.Subcommands.Add(Down());
        command.Subcommands.Add(Advance());
        return command;
    }

    private static Command Up()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 for the node's JSON-RPC.", DefaultValueFactory = _ => 8545 };
        var json = new Option<bool>("--json") { Description = "Print the deployment as JSON instead of a table." };
        var coordinatorUrl = new Option<string>("--coordinator-url")
        {
            Description = "The enrolment URL the demo coordinator registers: the gateway it will serve.", DefaultValueFactory = _ => "https://127.0.0.1:8443",
        };
        var command = new Command(
            "up",
            "Start the node (detached), compile the contracts if they changed, deploy them, fund the demo accounts from the faucet, and write data/devnet.json.")
        {
            port, json, coordinatorUrl,
        };
        CliRun.SetAction(command, json, async (ctx, cancellationToken) =>
        {
            var portValue = ctx.Parse.GetValue(port);
            if (portValue is < 1 or > 65535)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", $"--port must be between 1 and 65535, not {portValue}");
            }
            var url = new Uri(StakingCommands.ParseUrl(ctx.Parse.GetValue(coordinatorUrl)));
            var manager = new DevnetManager(new DevnetSettings { Root = DevnetSettings.FindRoot(), Port = portValue, CoordinatorUrl = url });
            var result = ctx.Interactive
                ? await AnsiConsole.Status().StartAsync("starting the devnet", status =>
                    manager.UpAsync(new Progress<string>(step => status.Status(Markup.Escape(step))), cancellationToken))
                : await manager.UpAsync(null, cancellationToken);
            return new UpView(result.AlreadyRunning, result.Deployment, manager.Settings.DeploymentFile, manager.Settings.LogFile);
        }, Print);
        return command;
    }

    private static Command Down()
    {
        var json = new Option<bool>("--json") { Description = "Print what was stopped and removed as JSON." };
        var command = new Command("down", "Stop the devnet node and remove data/devnet.json and its pid file (the log stays).") { json };
        CliRun.SetAction(command, json, async (_, _) =>
            await new DevnetManager(new DevnetSettings { Root = DevnetSettings.FindRoot() }).DownAsync(), (ctx, result) =>
        {
            if (result.WasRunning)
            {
                ctx.Out.WriteLine($"devnet stopped (pid {result.Pid}); removed {string.Join(", ", result.RemovedFiles.Select(Path.GetFileName))}");
            }
            else
            {
                ctx.Out.WriteLine(result.RemovedFiles.Count == 0
                    ? "devnet is not running; nothing to do"
                    : $"devnet was not running; removed stale {string.Join(", ", result.RemovedFiles.Select(Path.GetFileName))}");
            }
        });
        return command;
    }

    private static Command Advance()
    {
        var o = new CliOptions();
        var time = new Option<string>("--time")
        {
            Description = "How far to move the clock: a number with s, m, h or d (e.g. 7d, 90m), or plain seconds.", Required = true,
        };
        var command = new Command(
            "advance",
            "Move the devnet's clock forward and mine a block with the new time, e.g. to finish an unbonding period (`devnet advance --time 7d`, then `withdraw`).")
        {
            time,
        };
        o.WithChain(command);
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var by = ParseDuration(ctx.Parse.GetValue(time));
            using var session = await ChainSession.OpenAsync(ctx, o, ct);
            DateTimeOffset at;
            try
            {
                at = await session.Client.IncreaseTimeAsync(by, ct);
            }
            catch (RpcException ex)
            {
                throw new CliException(ExitCodes.Chain, "not-a-devnet", $"the node at {session.RpcUrl} cannot move its clock ({ex.RpcMessage}): only a devnet can", ex);
            }
            return new AdvanceView((long)by.TotalSeconds, await session.Client.GetBlockNumberAsync(ct), at);
        }, (ctx, r) => ctx.Out.WriteLine($"devnet clock moved {r.AdvancedSeconds} s forward; block {r.Block} has time {r.Time:u}"));
        return command;
    }

    /// <summary>"7d", "12h", "30m", "45s" or "45" (seconds); positive.</summary>
    internal static TimeSpan ParseDuration(string? text)
    {
        var value = (text ?? "").Trim().ToLowerInvariant();
        var (digits, unit) = value.Length > 0 && char.IsAsciiLetter(value[^1]) ? (value[..^1], value[^1]) : (value, 's');
        var seconds = unit switch { 's' => 1L, 'm' => 60L, 'h' => 3_600L, 'd' => 86_400L, _ => 0L };
        if (seconds == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 100L * 365 * 86_400 / seconds)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"--time '{text}' is not a duration such as 7d, 12h, 30m or 45s (at most 100 years)");
        }
        return TimeSpan.FromSeconds(n * seconds);
    }

    private static void Print(CliContext ctx, UpView view)
    {
        var d = view.Deployment;
        var w = ctx.Out;
        var headline = view.AlreadyRunning
            ? $"[yellow]devnet already running[/] at {Markup.Escape(d.RpcUrl)} (pid {d.NodePid})"
            : $"[green]devnet up[/] at {Markup.Escape(d.RpcUrl)} (pid {d.NodePid}, chain id {d.ChainId})";
        if (ctx.Interactive)
        {
            AnsiConsole.MarkupLine(headline);
        }
        else
        {
            w.WriteLine(Markup.Remove(headline));
        }
        // Plain aligned lines rather than a table: a table would wrap the addresses on an 80-column console.
        w.WriteLine($"CaiToken       {d.CaiToken}");
        w.WriteLine($"CuckooStaking  {d.CuckooStaking}");
        w.WriteLine();
        w.WriteLine($"{"account",-19} {"address",-42} {"CAI",12} {"staked",10}");
        foreach (var a in d.Accounts)
        {
            w.WriteLine($"{a.Role,-19} {a.Address,-42} {a.CaiBalance,12} {a.Staked,10}");
        }
        w.WriteLine();
        w.WriteLine($"deploy block {d.DeployBlock}; deployment file {view.DeploymentFile}; node log {view.LogFile}");
        w.WriteLine("private keys of these publicly known development accounts are in the deployment file; stop with `cuckoo devnet down`");
    }

    private sealed record UpView(bool AlreadyRunning, DevnetDeployment Deployment, string DeploymentFile, string LogFile);

    private sealed record AdvanceView(long AdvancedSeconds, long Block, DateTimeOffset Time);
}
