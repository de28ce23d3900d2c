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
        yield return KeysCommand.Create();
        yield return StakingCommands.Faucet();
        yield return StakingCommands.Stake();
        yield return StakingCommands.Unstake();
        yield return StakingCommands.Withdraw();
        yield return StakingCommands.Vote();
        yield return StakingCommands.Unvote();
        yield return StakingCommands.Miner();
        yield return StakingCommands.Coordinator();
        yield return StakingCommands.Rewards();
        yield return ChainStatusCommand.Create();
        yield return NodeCommands.Node();
        yield return ClusterCommands.Cluster();
        yield return ClusterCommands.Miners();
        yield return ApiKeyCommands.ApiKey();
        yield return TaskCommands.Task();
        yield return SimCommand.Create();
    }
}
