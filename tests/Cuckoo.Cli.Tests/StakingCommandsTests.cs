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
        // Without the miner key's consent nothing is sent.
        var unconsented = await RunAsync(["miner", "register", AddressOf("miner-2"), "--intro", "cli box", "--json", .. staker]);
        Assert.Equal(2, unconsented.Code);
        Assert.Contains("needs its key's consent", JsonDocument.Parse(unconsented.Out).RootElement.GetProperty("error").GetString());
        var registered = await RunAsync(["miner", "register", AddressOf("miner-2"), "--intro", "cli box", "--candidate-key", await fixture.KeyFileAsync("miner-2"), "--json", .. staker]);
        Ok(registered);
        Assert.Equal("true", JsonDocument.Parse(registered.Out).RootElement.GetProperty("details").GetProperty("active").GetString());

        var voter = await fixture.SignerAsync("voter-1");
        Ok(await RunAsync(["stake", "500", .. voter]));
        var voted = await RunAsync(["vote", AddressOf("miner-2"), "200", "--json", .. voter]);
        Ok(voted);
        var votedDetails = JsonDocument.Parse(voted.Out).RootElement.GetProperty("details");
        var earningFrom = DateTimeOffset.Parse(votedDetails.GetProperty("earningFrom").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, earningFrom.ToUnixTimeSeconds() % 86_400);
        Assert.Equal(earningFrom.ToUnixTimeSeconds() / 86_400, long.Parse(votedDetails.GetProperty("earningFromEpoch").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

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
        Assert.Equal("200", vote.GetProperty("pending").GetString());
        Assert.Equal(earningFrom, vote.GetProperty("earningFrom").GetDateTimeOffset());
        Assert.Equal("200", registration.GetProperty("pendingVotes").GetString());

        var human = await RunAsync("chain", "status", AddressOf("miner-2"), "--deployment", fixture.DeploymentFile);
        Ok(human);
        Assert.Contains("as candidate  miner", human.Out);
        Assert.Contains("200 of them not earning until the next epoch", human.Out);

        var unvoted = await RunAsync(["unvote", AddressOf("miner-2"), "200", "--json", .. voter]);
        Ok(unvoted);
        var unvotedDetails = JsonDocument.Parse(unvoted.Out).RootElement.GetProperty("details");
        Assert.Equal("200", unvotedDetails.GetProperty("unbonding").GetString());
        var unstaked = await RunAsync(["unstake", "300", "--json", .. voter]);
        Ok(unstaked);
        Assert.Equal("300", JsonDocument.Parse(unstaked.Out).RootElement.GetProperty("details").GetProperty("unbonding").GetString());

        // Two positions: the unvote's on miner-2's pool and the unstake's on the pool of stake that backed nothing.
        var unbonding = JsonDocument.Parse((await RunAsync("chain", "status", AddressOf("voter-1"), "--deployment", fixture.DeploymentFile, "--json")).Out)
            .RootElement.GetProperty("unbonding").EnumerateArray().ToList();
        Assert.Equal(new[] { "200", "300" }, unbonding.Select(u => u.GetProperty("amount").GetString()).Order().ToArray());
        Assert.Contains(unbonding, u => u.GetProperty("candidate").GetString() == AddressOf("miner-2")
            && u.GetProperty("releaseAt").GetDateTimeOffset() == DateTimeOffset.Parse(unvotedDetails.GetProperty("releaseAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            && !u.GetProperty("released").GetBoolean());
        var early = await RunAsync(["withdraw", .. voter]);
        Assert.Equal(1, early.Code);
        Assert.Contains("nothing is released yet", early.Err);

        Ok(await RunAsync("devnet", "advance", "--time", "7d", "--deployment", fixture.DeploymentFile));
        var withdrawn = await RunAsync(["withdraw", "--json", .. voter]);
        Ok(withdrawn);
        var w = JsonDocument.Parse(withdrawn.Out).RootElement;
        Assert.Equal("500", w.GetProperty("details").GetProperty("amount").GetString());
        Assert.Equal(2, w.GetProperty("transactions").GetArrayLength());
    }

    [Fact]
    public async Task Register_below_the_minimum_reports_the_revert_reason()
    {
        var staker = await fixture.SignerAsync("voter-2");
        Ok(await RunAsync(["stake", "10", .. staker]));
        var created = await RunAsync("keys", "new", "--keys-dir", Path.Combine(fixture.Temp, "below-minimum-keys"), "--password-file", fixture.PasswordFile, "--kdf", "light", "--json");
        Ok(created);
        var candidate = JsonDocument.Parse(created.Out).RootElement;
        var r = await RunAsync(["miner", "register", candidate.GetProperty("address").GetString()!, "--candidate-key", candidate.GetProperty("file").GetString()!, "--json", .. staker]);
        Assert.Equal(1, r.Code);
        Assert.Contains("must be more than the minimum 20000 CAI (BelowMinimum)", r.Err);
        var json = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("revert", json.GetProperty("kind").GetString());
        Assert.Equal(1, json.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task A_coordinator_registers_with_a_consent_made_by_its_owner_and_changes_its_url()
    {
        var staker = await fixture.SignerAsync("coordinator-staker");
        Ok(await RunAsync(["stake", "2100000", .. staker]));
        string[] owner = ["--key", await fixture.KeyFileAsync("coordinator"), "--password-file", fixture.PasswordFile, "--deployment", fixture.DeploymentFile];

        var consent = await RunAsync(["keys", "consent", "--staker", AddressOf("coordinator-staker"), "--kind", "coordinator", "--intro", "gateway", "--json", .. owner]);
        Ok(consent);
        var signature = JsonDocument.Parse(consent.Out).RootElement.GetProperty("consent").GetString()!;
        Assert.Matches("^0x[0-9a-f]{130}$", signature);

        // The consent covers the intro, and a URL must be one.
        var otherIntro = await RunAsync(["coordinator", "register", AddressOf("coordinator"), "--intro", "other", "--url", "https://127.0.0.1:8443", "--consent", signature, .. staker]);
        Assert.Equal(2, otherIntro.Code);
        Assert.Contains("is not " + AddressOf("coordinator") + "'s consent", otherIntro.Err);
        var badUrl = await RunAsync(["coordinator", "register", AddressOf("coordinator"), "--intro", "gateway", "--url", "not a url", "--consent", signature, .. staker]);
        Assert.Equal(2, badUrl.Code);
        Assert.Contains("is not an http(s) URL", badUrl.Err);
        var badHex = await RunAsync(["coordinator", "register", AddressOf("coordinator"), "--intro", "gateway", "--url", "https://127.0.0.1:8443", "--consent", "0x1234", .. staker]);
        Assert.Equal(2, badHex.Code);
        Assert.Contains("65-byte signature", badHex.Err);

        var registered = await RunAsync(["coordinator", "register", AddressOf("coordinator"), "--intro", "gateway", "--url", "https://127.0.0.1:8443", "--consent", signature, "--json", .. staker]);
        Ok(registered);
        Assert.Equal("https://127.0.0.1:8443", JsonDocument.Parse(registered.Out).RootElement.GetProperty("details").GetProperty("url").GetString());
        // The consent is spent: its nonce moved on.
        var again = await RunAsync(["coordinator", "register", AddressOf("coordinator"), "--intro", "gateway", "--url", "https://127.0.0.1:8443", "--consent", signature, .. staker]);
        Assert.NotEqual(0, again.Code);
        Assert.DoesNotContain("   at ", again.Err);

        Ok(await RunAsync(["coordinator", "set-url", "https://127.0.0.1:9443", .. staker]));
        var status = JsonDocument.Parse((await RunAsync("chain", "status", AddressOf("coordinator"), "--deployment", fixture.DeploymentFile, "--json")).Out).RootElement;
        Assert.Equal("https://127.0.0.1:9443", status.GetProperty("candidate").GetProperty("url").GetString());
        var human = await RunAsync("chain", "status", AddressOf("coordinator"), "--deployment", fixture.DeploymentFile);
        Assert.Contains("url         https://127.0.0.1:9443", human.Out);
        var notCoordinator = await RunAsync(["coordinator", "set-url", "https://x.example", .. await fixture.SignerAsync("voter-2")]);
        Assert.Equal(1, notCoordinator.Code);
        Assert.Contains("NotRegistered", notCoordinator.Err);
    }

    [Fact]
    public async Task A_scheduled_commission_change_shows_in_chain_status()
    {
        var miner = DevAccounts.ByRole("miner-1").Address;
        await RegisterMinerOnceAsync("miner-1-staker", "miner-1");
        // The CLI has no commission command yet: the typed client schedules it, the CLI shows it.
        using var client = new Cuckoo.Chain.ChainClient(fixture.Node.RpcUrl);
        var staking = new Cuckoo.Staking.CuckooStakingClient(client, Cuckoo.Chain.Address.Parse(fixture.Deployment.CuckooStaking));
        await staking.SetCommissionAsync(new Cuckoo.Chain.TransactionSender(client, DevAccounts.ByRole("miner-1-staker").Key), 1_300);
        var human = await RunAsync("chain", "status", miner.ToString(), "--deployment", fixture.DeploymentFile);
        Ok(human);
        Assert.Matches("commission  1000 bps, 1300 bps from epoch \\d+ \\(", human.Out);
        var json = JsonDocument.Parse((await RunAsync("chain", "status", miner.ToString(), "--deployment", fixture.DeploymentFile, "--json")).Out).RootElement;
        Assert.Equal(1_300, json.GetProperty("candidate").GetProperty("commissionChange").GetProperty("bps").GetInt32());
    }

    private async Task RegisterMinerOnceAsync(string stakerRole, string minerRole)
    {
        var staker = await fixture.SignerAsync(stakerRole);
        var status = JsonDocument.Parse((await RunAsync("chain", "status", AddressOf(stakerRole), "--deployment", fixture.DeploymentFile, "--json")).Out).RootElement;
        if (status.TryGetProperty("registration", out var registration) && registration.ValueKind == JsonValueKind.Object)
        {
            return;
        }
        Ok(await RunAsync(["stake", "30000", .. staker]));
        Ok(await RunAsync(["miner", "register", AddressOf(minerRole), "--candidate-key", await fixture.KeyFileAsync(minerRole), .. staker]));
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
