using System.Text.Json;
using Cuckoo.Staking.Devnet;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

[Collection("staker-cli")]
public sealed class ChainWatchCommandTests(StakerCliFixture fixture)
{
    [Fact]
    public async Task Chain_watch_prints_confirmed_events_as_json_lines_and_resumes_from_its_journal()
    {
        var signer = await fixture.SignerAsync("deployer");
        var staked = await RunAsync(["stake", "12", "--json", .. signer]);
        Assert.True(staked.Code == 0, staked.ToString());
        var block = JsonDocument.Parse(staked.Out).RootElement.GetProperty("transactions").EnumerateArray().Last().GetProperty("block").GetInt64();
        var journal = Path.Combine(fixture.Temp, "watch.db");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var watched = await RunAsync(deadline.Token,
            "chain", "watch", "--from-block", block.ToString(), "--confirmations", "0", "--count", "1", "--journal", journal, "--json", "--deployment", fixture.DeploymentFile);
        Assert.True(watched.Code == 0, watched.ToString());
        var line = watched.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(l => l.GetProperty("type").GetString() == "StakeChanged");
        var e = line.GetProperty("event");
        Assert.Equal(DevAccounts.Deployer.Address.ToString(), e.GetProperty("staker").GetString());
        Assert.Equal("12", e.GetProperty("amount").GetString());
        Assert.Equal(block, e.GetProperty("position").GetProperty("blockNumber").GetInt64());

        // A second run on the same journal starts after what the first printed.
        Assert.True((await RunAsync(["stake", "13", .. signer])).Code == 0);
        var resumed = await RunAsync(deadline.Token,
            "chain", "watch", "--confirmations", "0", "--count", "1", "--journal", journal, "--deployment", fixture.DeploymentFile);
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains("StakeChanged", resumed.Out);
        Assert.Contains("\"amount\":\"13\"", resumed.Out);
        Assert.DoesNotContain("\"amount\":\"12\"", resumed.Out);
    }
}
