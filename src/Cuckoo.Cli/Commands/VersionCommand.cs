using System.CommandLine;
using System.Reflection;

namespace Cuckoo.Cli.Commands;

internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of this node software and its runtime.");
        command.SetAction(parse =>
        {
            var version = typeof(VersionCommand).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            parse.InvocationConfiguration.Output.WriteLine($"cuckoo {version} (.NET {Environment.Version})");
            return 0;
        });
        return command;
    }
}
