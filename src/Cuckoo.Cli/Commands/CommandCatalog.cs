using System.CommandLine;

namespace Cuckoo.Cli.Commands;

/// <summary>Every top-level command of the `cuckoo` executable, one factory per area.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return DevnetCommand.Create();
        yield return InferCommand.Create();
    }
}
