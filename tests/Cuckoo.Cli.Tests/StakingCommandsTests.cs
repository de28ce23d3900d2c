using System.Text.Json;
using Cuckoo.Staking.Devnet;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

[Collection("staker-cli")]
public sealed class StakingCommandsTests(StakerCliFixture fixture)
{
    private static string AddressOf(string role) => DevAccounts.ByRole(role).Address.ToString();

    private static void Ok(CliRunResult r) => Assert.True(r.Code == 0, r.ToString());

    [Fact]
    public async Task Stake_register_vote_then_chain_status_json_shows_them()
    {
        var staker = await fixture.SignerAsync("miner-2-staker");
        Ok(await RunAsync(["stake", "30000", .. staker]));
        var registered = await RunAsync(["miner", "register", AddressOf("miner-2"), "--intro", "cli box", "--json", .. staker]);
        Ok(registered);
        Assert.Equal("true", JsonDocument.Parse(registered.Out).RootElement.GetProperty("details").GetProperty("active").GetString());

        var voter = await fixture.SignerAsync("voter-1");
        Ok(await RunAsync(["stake", "500", .. voter]));
        Ok(await RunAsync(["vote", AddressOf("miner-2"), "200", .. voter]));

        var status = await RunAsync("chain", "status", AddressOf("miner-2-staker"), "--deployment", fixture.DeploymentFile, "--json");
        Ok(status);
        var s = JsonDocument.Parse(status.Out).RootElement;
        Assert.Equal("30000", s.GetProperty("stake").GetString());
        var registration = s.GetProperty("registration");
        Assert.Equal(AddressOf("miner-2"), registration.GetProperty("address").GetString());
        Assert.Equal("miner", registration.GetProperty("kind").GetString());
        Assert.True(registration.GetProperty("active").GetBoolean());
        Assert.Equal("30200", registration.GetProperty("weight").GetString());
        Assert.Equal("cli box", registration.GetProperty("intro").GetString());

        var voterStatus = await RunAsync("chain", "status", "--json", "--key", await fixture.KeyFileAsync("voter-1"), "--deployment", fixture.DeploymentFile);
        Ok(voterStatus);
        var v = JsonDocument.Parse(voterStatus.Out).RootElement;
        Assert.Equal("300", v.GetProperty("stake").GetString());
        var vote = Assert.Single(v.GetProperty("votes").EnumerateArray());
        Assert.Equal(AddressOf("miner-2"), vote.GetProperty("candidate").GetString());
        Assert.Equal("200", vote.GetProperty("amount").GetString());

        var human = await RunAsync("chain", "status", AddressOf("miner-2"), "--deployment", fixture.DeploymentFile);
        Ok(human);
        Assert.Contains("as candidate  miner", human.Out);

        Ok(await RunAsync(["unvote", AddressOf("miner-2"), "200", .. voter]));
        var unstaked = await RunAsync(["unstake", "300", "--json", .. voter]);
        Ok(unstaked);
        Assert.Equal("300", JsonDocument.Parse(unstaked.Out).RootElement.GetProperty("details").GetProperty("unbonding").GetString());
        var early = await RunAsync(["withdraw", .. voter]);
        Assert.Equal(1, early.Code);
        Assert.Contains("UnbondingNotFinished", early.Err);
    }

    [Fact]
    public async Task Register_below_the_minimum_reports_the_revert_reason()
    {
        var staker = await fixture.SignerAsync("voter-2");
        Ok(await RunAsync(["stake", "10", .. staker]));
        var r = await RunAsync(["miner", "register", AddressOf("miner-1"), "--json", .. staker]);
        Assert.Equal(1, r.Code);
        Assert.Contains("below the minimum 20000 CAI (BelowMinimum)", r.Err);
        var json = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("revert", json.GetProperty("kind").GetString());
        Assert.Equal(1, json.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Unstake_more_than_staked_reports_insufficient_stake()
    {
        var r = await RunAsync(["unstake", "999999", .. await fixture.SignerAsync("coordinator")]);
        Assert.Equal(1, r.Code);
        Assert.Contains("insufficient free stake", r.Err);
        Assert.Contains("InsufficientStake", r.Err);
    }

    [Fact]
    public async Task Stake_more_than_the_balance_fails_before_sending()
    {
        var r = await RunAsync(["stake", "999999999", .. await fixture.SignerAsync("voter-2")]);
        Assert.Equal(1, r.Code);
        Assert.Contains("insufficient CAI balance", r.Err);
    }

    [Fact]
    public async Task Faucet_pays_once_then_reports_the_cooldown()
    {
        var signer = await fixture.SignerAsync("treasury");
        var first = await RunAsync(["faucet", "--json", .. signer]);
        Ok(first);
        Assert.Equal("2500000", JsonDocument.Parse(first.Out).RootElement.GetProperty("details").GetProperty("amount").GetString());
        var second = await RunAsync(["faucet", .. signer]);
        Assert.Equal(1, second.Code);
        Assert.Contains("FaucetCooldown", second.Err);
    }

    [Fact]
    public async Task A_node_on_another_chain_is_refused()
    {
        var other = Path.Combine(fixture.Temp, "other-chain.json");
        (fixture.Deployment with { ChainId = 1 }).Write(other);
        var r = await RunAsync("chain", "status", AddressOf("voter-1"), "--deployment", other);
        Assert.Equal(3, r.Code);
        Assert.Contains("wrong chain id", r.Err);
    }

    [Fact]
    public async Task An_unreachable_node_is_reported()
    {
        var port = HardhatNode.FreePort();
        var r = await RunAsync("chain", "status", AddressOf("voter-1"), "--deployment", fixture.DeploymentFile, "--rpc", $"http://127.0.0.1:{port}", "--json");
        Assert.Equal(3, r.Code);
        Assert.Contains("unreachable", r.Err);
        Assert.Equal("node-unreachable", JsonDocument.Parse(r.Out).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_missing_deployment_file_is_reported()
    {
        var r = await RunAsync("chain", "status", AddressOf("voter-1"), "--deployment", Path.Combine(fixture.Temp, "nope.json"));
        Assert.Equal(3, r.Code);
        Assert.Contains("does not exist", r.Err);
    }

    [Fact]
    public async Task A_bad_address_checksum_is_refused_before_anything_is_sent()
    {
        var good = AddressOf("miner-2");
        var i = good.IndexOf(good[2..].First(char.IsLetter), 2);
        var bad = good[..i] + (char.IsUpper(good[i]) ? char.ToLowerInvariant(good[i]) : char.ToUpperInvariant(good[i])) + good[(i + 1)..];
        var r = await RunAsync(["vote", bad, "1", .. await fixture.SignerAsync("voter-1")]);
        Assert.Equal(2, r.Code);
        Assert.Contains("not a valid address", r.Err);
    }

    [Fact]
    public async Task A_wrong_key_password_stops_a_transaction()
    {
        var wrong = Path.Combine(fixture.Temp, "wrong-password.txt");
        await File.WriteAllTextAsync(wrong, "nope");
        var r = await RunAsync("stake", "1", "--key", await fixture.KeyFileAsync("voter-1"), "--password-file", wrong, "--deployment", fixture.DeploymentFile);
        Assert.Equal(4, r.Code);
        Assert.Contains("wrong password", r.Err);
    }

    [Theory]
    [InlineData("stake")]
    [InlineData("keys", "sign")]
    [InlineData("chain", "status")]
    [InlineData("miner", "register")]
    [InlineData("rewards", "claim")]
    public async Task Every_command_has_help(params string[] command)
    {
        var r = await RunAsync([.. command, "--help"]);
        Assert.Equal(0, r.Code);
        Assert.Contains("--json", r.Out);
    }

    [Fact]
    public async Task Rewards_claim_with_nothing_owed_says_so()
    {
        var r = await RunAsync(["rewards", "claim", .. await fixture.SignerAsync("coordinator-staker")]);
        Assert.Equal(1, r.Code);
        Assert.Contains("NothingToClaim", r.Err);
    }
}
