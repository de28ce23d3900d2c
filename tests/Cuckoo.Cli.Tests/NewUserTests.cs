using System.Numerics;
using System.Text.Json;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

/// <summary>What a new user hit on the devnet (issue 7), through the same command tree as the executable.</summary>
[Collection("staker-cli")]
public sealed class NewUserTests(StakerCliFixture fixture)
{
    // 2^256 wei as CAI, and far beyond it.
    private const string TwoTo256Wei = "115792089237316195423570985008687907853269984665640564039457.584007913129639936";
    private static readonly string Huge = "1" + new string('0', 80);

    private static string AddressOf(string role) => DevAccounts.ByRole(role).Address.ToString();

    private static void Ok(CliRunResult r) => Assert.True(r.Code == 0, r.ToString());

    /// <summary>A failure is one sentence on stderr naming the command, never a stack trace.</summary>
    private static void OneSentence(CliRunResult r, string command)
    {
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.ToString());
        Assert.StartsWith($"cuckoo {command}: ", lines[0]);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
    }

    public static TheoryData<string[]> HugeAmounts()
    {
        var data = new TheoryData<string[]>();
        foreach (var amount in new[] { TwoTo256Wei, Huge })
        {
            data.Add(["stake", amount]);
            data.Add(["unstake", amount]);
            data.Add(["vote", AddressOf("miner-2"), amount]);
            data.Add(["unvote", AddressOf("miner-2"), amount]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(HugeAmounts))]
    public async Task Amounts_of_2_to_the_256_wei_or_more_get_one_sentence_and_exit_2(string[] command)
    {
        var r = await RunAsync([.. command, .. await fixture.SignerAsync("voter-1")]);
        Assert.Equal(2, r.Code);
        OneSentence(r, command[0]);
        Assert.Contains("more than a uint256 holds", r.Err);
        var json = await RunAsync([.. command, "--json", .. await fixture.SignerAsync("voter-1")]);
        Assert.Equal("bad-amount", JsonDocument.Parse(json.Out).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task The_largest_uint256_amount_is_an_amount_and_fails_on_the_balance_instead()
    {
        var max = (BigInteger.Pow(2, 256) - 1).ToString();
        var cai = $"{max[..^18]}.{max[^18..]}";
        var r = await RunAsync(["stake", cai, .. await fixture.SignerAsync("voter-1")]);
        Assert.Equal(1, r.Code);
        OneSentence(r, "stake");
        Assert.Contains("insufficient CAI balance", r.Err);
    }

    [Fact]
    public async Task Devnet_advance_moves_time_so_that_unbonding_can_be_withdrawn()
    {
        var staker = await fixture.SignerAsync("miner-1");
        Ok(await RunAsync(["faucet", .. staker]));
        Ok(await RunAsync(["stake", "5", .. staker]));
        Ok(await RunAsync(["unstake", "5", .. staker]));
        // Withdrawing everything released finds nothing yet and says until when; naming the pool asks the contract.
        var early = await RunAsync(["withdraw", .. staker]);
        Assert.Equal(1, early.Code);
        OneSentence(early, "withdraw");
        Assert.Contains("nothing is released yet: 5 CAI in the pool of stake that backed nothing is unbonding until", early.Err);
        var named = await RunAsync(["withdraw", "--candidate", "0x0000000000000000000000000000000000000000", .. staker]);
        Assert.Equal(1, named.Code);
        Assert.Contains("UnbondingNotFinished", named.Err);

        var before = await BlockAsync();
        var advanced = await RunAsync("devnet", "advance", "--time", "7d", "--deployment", fixture.DeploymentFile, "--json");
        Ok(advanced);
        var a = JsonDocument.Parse(advanced.Out).RootElement;
        Assert.Equal(7 * 86_400, a.GetProperty("advancedSeconds").GetInt64());
        Assert.Equal(before + 1, a.GetProperty("block").GetInt64());

        var withdrawn = await RunAsync(["withdraw", "--json", .. staker]);
        Ok(withdrawn);
        Assert.Equal("5", JsonDocument.Parse(withdrawn.Out).RootElement.GetProperty("details").GetProperty("amount").GetString());
    }

    [Theory]
    [InlineData("7x")]
    [InlineData("0d")]
    [InlineData("-5")]
    [InlineData("soon")]
    public async Task Devnet_advance_refuses_what_is_not_a_duration(string time)
    {
        var r = await RunAsync("devnet", "advance", "--time", time, "--deployment", fixture.DeploymentFile, "--json");
        Assert.Equal(2, r.Code);
        OneSentence(r, "devnet advance");
        Assert.Equal("bad-input", JsonDocument.Parse(r.Out).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_new_key_gets_gas_and_CAI_from_the_devnet_faucet_in_one_command_and_can_stake()
    {
        var keys = Path.Combine(fixture.Temp, "new-user-keys");
        var created = await RunAsync("keys", "new", "--keys-dir", keys, "--password-file", fixture.PasswordFile, "--kdf", "light", "--json");
        Ok(created);
        var file = JsonDocument.Parse(created.Out).RootElement.GetProperty("file").GetString()!;
        string[] signer = ["--key", file, "--password-file", fixture.PasswordFile, "--deployment", fixture.DeploymentFile];

        // Before the faucet it cannot pay for gas, and is told what to do.
        var broke = await RunAsync(["stake", "1", .. signer]);
        Assert.Equal(1, broke.Code);
        OneSentence(broke, "stake");
        Assert.Contains("no ETH to pay for gas", broke.Err);
        Assert.Contains("cuckoo faucet", broke.Err);

        var faucet = await RunAsync(["faucet", "--json", .. signer]);
        Ok(faucet);
        var f = JsonDocument.Parse(faucet.Out).RootElement;
        Assert.Equal("2500000", f.GetProperty("details").GetProperty("amount").GetString());
        Assert.Equal("10", f.GetProperty("details").GetProperty("eth").GetString());
        Assert.Equal(2, f.GetProperty("transactions").GetArrayLength());

        var staked = await RunAsync(["stake", "20000", "--json", .. signer]);
        Ok(staked);
        Assert.Equal("20000", JsonDocument.Parse(staked.Out).RootElement.GetProperty("details").GetProperty("selfStake").GetString());
    }

    [Fact]
    public async Task Stake_with_5_confirmations_on_the_automining_devnet_finishes_with_the_blocks_mined()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var r = await RunAsync(deadline.Token, ["stake", "3", "--confirmations", "5", "--json", .. await fixture.SignerAsync("voter-2")]);
        Assert.False(deadline.IsCancellationRequested, "stake --confirmations 5 waited for blocks nobody mines");
        Ok(r);
        var stakeBlock = JsonDocument.Parse(r.Out).RootElement.GetProperty("transactions").EnumerateArray().Last().GetProperty("block").GetInt64();
        Assert.True(await BlockAsync() >= stakeBlock + 4, "four blocks on top of the stake's");
    }

    [Fact]
    public async Task Stake_with_confirmations_nobody_mines_names_its_transaction_after_the_timeout()
    {
        var signer = await fixture.SignerAsync("voter-2");
        var voter = DevAccounts.ByRole("voter-2").Address;
        using var client = new ChainClient(fixture.Node.RpcUrl);
        await client.CallAsync("evm_setAutomine", false);
        try
        {
            var command = RunAsync(["stake", "2", "--confirmations", "3", "--timeout", "2", "--json", .. signer]);
            // The test is the miner: it mines what the command sends (approval, stake) and never a block on top.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!command.IsCompleted && DateTime.UtcNow < deadline)
            {
                if (await client.GetTransactionCountAsync(voter, BlockParameter.Pending) > await client.GetTransactionCountAsync(voter, BlockParameter.Latest))
                {
                    await client.CallAsync("evm_mine");
                }
                await Task.WhenAny(command, Task.Delay(50));
            }
            Assert.True(command.IsCompleted, "the command outlived its --timeout");
            var r = await command;
            Assert.Equal(1, r.Code);
            OneSentence(r, "stake");
            var error = JsonDocument.Parse(r.Out).RootElement;
            Assert.Equal("timeout", error.GetProperty("kind").GetString());
            var message = error.GetProperty("error").GetString();
            Assert.Matches("transaction 0x[0-9a-f]{64} was mined in block \\d+ but has 1 of 3 confirmations", message);
            Assert.EndsWith("(that is the approval; the stake was not sent)", message);
        }
        finally
        {
            await client.CallAsync("evm_setAutomine", true);
        }
    }

    [Fact]
    public async Task Chain_watch_on_the_devnet_shows_the_newest_event_without_extra_blocks()
    {
        var staked = await RunAsync(["stake", "14", "--json", .. await fixture.SignerAsync("deployer")]);
        Ok(staked);
        var block = JsonDocument.Parse(staked.Out).RootElement.GetProperty("transactions").EnumerateArray().Last().GetProperty("block").GetInt64();
        Assert.Equal(block, await BlockAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watched = await RunAsync(deadline.Token, "chain", "watch", "--from-block", block.ToString(), "--count", "1", "--json", "--deployment", fixture.DeploymentFile);
        Ok(watched);
        Assert.False(deadline.IsCancellationRequested, "chain watch waited for confirmations nobody mines");
        var line = watched.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(l => l.GetProperty("type").GetString() == "StakeChanged");
        Assert.Equal("14", line.GetProperty("event").GetProperty("amount").GetString());
    }

    private async Task<long> BlockAsync()
    {
        var status = await RunAsync("chain", "status", AddressOf("voter-1"), "--deployment", fixture.DeploymentFile, "--json");
        Ok(status);
        return JsonDocument.Parse(status.Out).RootElement.GetProperty("block").GetInt64();
    }
}
