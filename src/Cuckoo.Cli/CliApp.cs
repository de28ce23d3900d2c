using System.CommandLine;
using Cuckoo.Cli.Commands;

namespace Cuckoo.Cli;

/// <summary>The `cuckoo` command tree and how a command line runs through it (shared by Program and the tests).</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Cuckoo: node software for decentralized AI model serving.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        configuration ??= new InvocationConfiguration();
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage mistakes get their own exit code (bad input), distinct from a refused transaction.
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync($"error: {error.Message}");
            }
            await configuration.Error.WriteLineAsync($"Run '{$"cuckoo {CliRun.CommandPath(parse)}".TrimEnd()} --help' for usage.");
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
