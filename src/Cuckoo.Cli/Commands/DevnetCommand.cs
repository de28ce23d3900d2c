using System.CommandLine;
using System.Text.Json;
using Cuckoo.Staking.Devnet;
using Spectre.Console;

namespace Cuckoo.Cli.Commands;

/// <summary>`cuckoo devnet up | down`: a local Hardhat chain with the CAI token and staking contracts deployed.</summary>
internal static class DevnetCommand
{
    public static Command Create()
    {
        var command = new Command("devnet", "Run a local chain (Hardhat) with the CAI token and staking contracts for development.");
        command.Subcommands.Add(Up());
        command.Subcommands.Add(Down());
        return command;
    }

    private static Command Up()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 for the node's JSON-RPC.", DefaultValueFactory = _ => 8545 };
        var json = new Option<bool>("--json") { Description = "Print the deployment as JSON instead of a table." };
        var command = new Command(
            "up",
            "Start the node (detached), compile the contracts if they changed, deploy them, fund the demo accounts from the faucet, and write data/devnet.json.")
        {
            port, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var portValue = parse.GetValue(port);
            if (portValue is < 1 or > 65535)
            {
                return Fail("up", $"--port must be between 1 and 65535, not {portValue}", parse.GetValue(json));
            }
            var asJson = parse.GetValue(json);
            try
            {
                var manager = new DevnetManager(new DevnetSettings { Root = DevnetSettings.FindRoot(), Port = portValue });
                DevnetUpResult result;
                if (asJson)
                {
                    result = await manager.UpAsync(null, cancellationToken);
                }
                else
                {
                    result = await AnsiConsole.Status().StartAsync("starting the devnet", ctx =>
                        manager.UpAsync(new Progress<string>(step => ctx.Status(step)), cancellationToken));
                }
                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(new { alreadyRunning = result.AlreadyRunning, deployment = result.Deployment }, DevnetDeployment.Json));
                }
                else
                {
                    Print(result, manager.Settings);
                }
                return 0;
            }
            catch (DevnetException e)
            {
                return Fail("up", e.Message, asJson);
            }
            catch (Cuckoo.Staking.StakingRevertException e)
            {
                return Fail("up", e.Message, asJson);
            }
        });
        return command;
    }

    private static Command Down()
    {
        var json = new Option<bool>("--json") { Description = "Print what was stopped and removed as JSON." };
        var command = new Command("down", "Stop the devnet node and remove data/devnet.json and its pid file (the log stays).") { json };
        command.SetAction(async (parse, _) =>
        {
            var asJson = parse.GetValue(json);
            try
            {
                var manager = new DevnetManager(new DevnetSettings { Root = DevnetSettings.FindRoot() });
                var result = await manager.DownAsync();
                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(result, DevnetDeployment.Json));
                }
                else if (result.WasRunning)
                {
                    Console.WriteLine($"devnet stopped (pid {result.Pid}); removed {string.Join(", ", result.RemovedFiles.Select(Path.GetFileName))}");
                }
                else
                {
                    Console.WriteLine(result.RemovedFiles.Count == 0
                        ? "devnet is not running; nothing to do"
                        : $"devnet was not running; removed stale {string.Join(", ", result.RemovedFiles.Select(Path.GetFileName))}");
                }
                return 0;
            }
            catch (DevnetException e)
            {
                return Fail("down", e.Message, asJson);
            }
        });
        return command;
    }

    private static void Print(DevnetUpResult result, DevnetSettings settings)
    {
        var d = result.Deployment;
        AnsiConsole.MarkupLine(result.AlreadyRunning
            ? $"[yellow]devnet already running[/] at {Markup.Escape(d.RpcUrl)} (pid {d.NodePid})"
            : $"[green]devnet up[/] at {Markup.Escape(d.RpcUrl)} (pid {d.NodePid}, chain id {d.ChainId})");
        // Plain aligned lines rather than a table: a table would wrap the addresses on an 80-column console.
        Console.WriteLine($"CaiToken       {d.CaiToken}");
        Console.WriteLine($"CuckooStaking  {d.CuckooStaking}");
        Console.WriteLine();
        Console.WriteLine($"{"account",-19} {"address",-42} {"CAI",12} {"staked",10}");
        foreach (var a in d.Accounts)
        {
            Console.WriteLine($"{a.Role,-19} {a.Address,-42} {a.CaiBalance,12} {a.Staked,10}");
        }
        Console.WriteLine();
        Console.WriteLine($"deploy block {d.DeployBlock}; deployment file {settings.DeploymentFile}; node log {settings.LogFile}");
        Console.WriteLine("private keys of these publicly known development accounts are in the deployment file; stop with `cuckoo devnet down`");
    }

    private static int Fail(string verb, string message, bool asJson)
    {
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { error = message }));
        }
        Console.Error.WriteLine($"cuckoo devnet {verb}: {message}");
        return 1;
    }
}
