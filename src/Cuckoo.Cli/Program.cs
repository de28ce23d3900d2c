using System.CommandLine;
using Cuckoo.Cli.Commands;

var root = new RootCommand("Cuckoo: node software for decentralized AI model serving.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
