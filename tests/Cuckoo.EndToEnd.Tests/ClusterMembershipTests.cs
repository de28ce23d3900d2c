using System.Diagnostics;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>Real `cuckoo` processes on 127.0.0.1: a coordinator and miners enrol, join over mutual TLS, fail and return.</summary>
[Collection("cluster")]
public sealed class ClusterMembershipTests(ClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// SIGKILL to removed: detection (3 s pause + phi), stable-after (3 s), the leader's removal; measured 10-11 s with
    /// the build's other work on two cores (docs/benchmarks.md), so 20 s is the budget a miner's tasks may wait.
    /// </summary>
    private static readonly TimeSpan DownBudget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Coordinator_and_three_miners_enrol_join_and_are_up()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        nodes.StartMiner("miner-1", "miner-1");
        nodes.StartMiner("miner-2", "miner-2");
        nodes.StartMiner("miner-3", fixture.Miner3);
        using var admin = new AdminProbe(coordinator.AccessFile);
        var members = await admin.WaitForAsync(
            m => m.Count(x => x.Status == "Up" && x.Roles.Contains("miner") && x.Miner is not null) == 3 && m.Any(x => x.Status == "Up" && x.Roles.Contains("coordinator")),
            Nodes.StartTimeout, "coordinator and three admitted miners Up");
        var miners = members.Where(m => m.Roles.Contains("miner")).Select(m => Address.Parse(m.Miner!)).ToHashSet();
        Assert.Equal(new HashSet<Address> { DevAccounts.ByRole("miner-1").Address, DevAccounts.ByRole("miner-2").Address, fixture.Miner3.Address }, miners);

        // The admin palette shows the same through the CLI.
        await using var show = NodeProcess.Start("cluster-show", ["cluster", "show", "--json", "--admin-token-file", coordinator.AccessFile]);
        Assert.Equal(0, await show.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(fixture.Miner3.Address.ToString(), show.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Coordinator_node_refuses_to_start_for_an_unregistered_address()
    {
        await using var process = NodeProcess.Start("rogue-coordinator",
        [
            "coordinator", "run", "--key", fixture.KeyFile(EthKey.Generate()), "--password-file", fixture.PasswordFile, "--deployment", fixture.DeploymentFile,
            "--data-dir", Path.Combine(fixture.Temp, "rogue-coordinator"),
        ]);
        Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("is not registered as a coordinator", process.Output);
        Assert.DoesNotContain("   at ", process.Output);
    }

    [Fact]
    public async Task Miner_node_refuses_to_start_for_an_unregistered_address()
    {
        await using var process = NodeProcess.Start("rogue-miner",
        [
            "miner", "run", "--key", fixture.KeyFile(EthKey.Generate()), "--password-file", fixture.PasswordFile, "--deployment", fixture.DeploymentFile,
            "--data-dir", Path.Combine(fixture.Temp, "rogue-miner"), "--cluster-port", ClusterFixture.FreePort().ToString(),
        ]);
        Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("may not run a node", process.Output);
        Assert.DoesNotContain("   at ", process.Output);
    }

    [Fact]
    public async Task Killed_miner_is_downed_within_budget_and_rejoins_when_restarted()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        var miner = nodes.StartMiner("miner-1", "miner-1");
        var port = nodes.MinerPort("miner-1");
        using var admin = new AdminProbe(coordinator.AccessFile);
        bool IsMiner(AdminProbe.Member m) => m.Address.EndsWith($":{port}", StringComparison.Ordinal);
        await admin.WaitForAsync(m => m.Any(x => IsMiner(x) && x.Status == "Up"), Nodes.StartTimeout, "miner-1 Up");

        var clock = Stopwatch.StartNew();
        miner.Kill();
        await admin.WaitForAsync(m => m.Any(x => IsMiner(x) && !x.Reachable), DownBudget, "miner-1 unreachable");
        var unreachable = clock.Elapsed;
        await admin.WaitForAsync(m => !m.Any(IsMiner), DownBudget, "miner-1 downed and removed");
        output.WriteLine($"SIGKILL → unreachable {unreachable.TotalSeconds:F1} s, → removed {clock.Elapsed.TotalSeconds:F1} s");
        Timings.Record("miner-sigkill-to-unreachable-s", unreachable.TotalSeconds);
        Timings.Record("miner-sigkill-to-removed-s", clock.Elapsed.TotalSeconds);

        nodes.StartMiner("miner-1", "miner-1");
        await admin.WaitForAsync(m => m.Any(x => IsMiner(x) && x.Status == "Up" && x.Reachable), Nodes.StartTimeout, "miner-1 Up again");
    }

    [Fact]
    public async Task Terminated_miner_leaves_the_cluster_gracefully()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        var miner = nodes.StartMiner("miner-2", "miner-2");
        var port = nodes.MinerPort("miner-2");
        using var admin = new AdminProbe(coordinator.AccessFile);
        bool IsMiner(AdminProbe.Member m) => m.Address.EndsWith($":{port}", StringComparison.Ordinal);
        await admin.WaitForAsync(m => m.Any(x => IsMiner(x) && x.Status == "Up"), Nodes.StartTimeout, "miner-2 Up");

        miner.Terminate();
        Assert.Equal(0, await miner.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        // It left (Leaving, Exiting, removed) rather than vanished: the coordinator never saw it unreachable.
        await coordinator.Process.WaitForLineAsync($"Exiting confirmed [akka.ssl.tcp://cuckoo@127.0.0.1:{port}]", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(coordinator.Process.Lines, l => l.Contains("UNREACHABLE", StringComparison.Ordinal) && l.Contains($":{port}", StringComparison.Ordinal));
        await admin.WaitForAsync(m => !m.Any(IsMiner), TimeSpan.FromSeconds(30), "miner-2 removed");
    }

    [Fact]
    public async Task Miner_whose_stake_drops_below_the_minimum_is_revoked_and_downed()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        var miner = nodes.StartMiner("miner-3", fixture.Miner3);
        using var admin = new AdminProbe(coordinator.AccessFile);
        await admin.WaitForAsync(m => m.Any(x => x.Miner is { } a && Address.Parse(a) == fixture.Miner3.Address && x.Status == "Up"), Nodes.StartTimeout, "miner-3 Up");

        // The staker takes 6,000 of its 25,000 CAI out: 19,000 is under the 20,000 minimum.
        var sender = new TransactionSender(fixture.Chain, fixture.Miner3Staker);
        await fixture.Staking.RequestUnstakeAsync(sender, Cai.Tokens(6_000));
        try
        {
            await coordinator.Process.WaitForLineAsync("Revoked miner " + fixture.Miner3.Address, TimeSpan.FromSeconds(60));
            await admin.WaitForAsync(m => !m.Any(x => x.Miner is { } a && Address.Parse(a) == fixture.Miner3.Address), DownBudget, "miner-3 removed");
            // Its next enrolment is refused as under-staked; it keeps trying with backoff rather than crash.
            await miner.WaitForLineAsync("refused, under-staked", TimeSpan.FromSeconds(60));
        }
        finally
        {
            // Restore the stake for the other tests of this chain.
            await fixture.Token.ApproveAsync(sender, fixture.Staking.Address, Cai.Tokens(6_000));
            await fixture.Staking.StakeAsync(sender, Cai.Tokens(6_000));
        }
    }
}
