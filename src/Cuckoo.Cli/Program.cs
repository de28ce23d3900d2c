using System.CommandLine;
using System.CommandLine.Parsing;
using Cuckoo.Cli.Commands;

var root = new RootCommand("Cuckoo: node software for decentralized AI model serving.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Usage mistakes get their own exit code (bad input), distinct from a refused transaction.
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }
    Console.Error.WriteLine($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
    return ExitCodes.BadInput;
}
return await parse.InvokeAsync();

static string CommandPath(CommandResult command)
{
    var names = new List<string>();
    for (SymbolResult? result = command; result is not null; result = result.Parent)
    {
        if (result is CommandResult c) names.Add(c.Command.Name);
    }
    names.Reverse();
    return string.Join(' ', names);
}
