using System.Text.Json;
using Cuckoo.Staking.Devnet;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

/// <summary>Every command's mistakes: one sentence on stderr (a JSON error with --json), a non-zero exit, no stack trace.</summary>
[Collection("staker-cli")]
public sealed class ErrorSweepTests(StakerCliFixture fixture)
{
    private static string AddressOf(string role) => DevAccounts.ByRole(role).Address.ToString();

    private static void OneSentence(CliRunResult r, int code, string command, string contains)
    {
        Assert.True(r.Code == code, r.ToString());
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.ToString());
        Assert.StartsWith($"cuckoo {command}: ", lines[0]);
        Assert.Contains(contains, lines[0]);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
    }

    [Theory]
    [InlineData("stake", "abc", "is not a CAI amount")]
    [InlineData("stake", "0", "greater than zero")]
    [InlineData("unstake", "1.0000000000000000001", "at most 18 fractional digits")]
    [InlineData("stake", "-5", "is not a CAI amount")]
    public async Task Amounts_that_are_not_amounts_exit_2_before_any_key_is_read(string command, string amount, string says)
    {
        // No key options at all: the amount is checked first.
        var r = await RunAsync(command, amount, "--deployment", fixture.DeploymentFile);
        OneSentence(r, 2, command, says);
    }

    [Theory]
    [InlineData("miner register", "needs its key's consent")]
    [InlineData("coordinator register", "needs its key's consent")]
    public async Task A_registration_without_consent_exits_2_before_any_key_is_read(string command, string says)
    {
        string[] args = [.. command.Split(' '), AddressOf("miner-2"), "--deployment", fixture.DeploymentFile];
        var r = await RunAsync(command.StartsWith("coordinator", StringComparison.Ordinal) ? [.. args, "--url", "https://127.0.0.1:8443"] : args);
        OneSentence(r, 2, command, says);
    }

    [Theory]
    [InlineData("--consent", "0xzz", "65-byte signature")]
    [InlineData("--url", "ftp://coordinator.example", "is not an http(s) URL")]
    public async Task A_bad_consent_or_url_exits_2_before_any_key_is_read(string option, string value, string says)
    {
        string[] args = ["coordinator", "register", AddressOf("coordinator"), "--deployment", fixture.DeploymentFile, "--consent", new string('1', 130), "--url", "https://127.0.0.1:8443"];
        var i = Array.IndexOf(args, option);
        args[i + 1] = value;
        OneSentence(await RunAsync(args), 2, "coordinator register", says);
    }

    [Fact]
    public async Task Set_url_checks_the_url_and_keys_consent_the_kind()
    {
        OneSentence(await RunAsync("coordinator", "set-url", "not a url", "--deployment", fixture.DeploymentFile), 2, "coordinator set-url", "is not an http(s) URL");
        var tooLong = "https://c.example/" + new string('a', 250);
        OneSentence(await RunAsync("coordinator", "set-url", tooLong, "--deployment", fixture.DeploymentFile), 2, "coordinator set-url", "at most 256");
        OneSentence(await RunAsync("keys", "consent", "--staker", AddressOf("voter-1"), "--kind", "voter", "--key", await fixture.KeyFileAsync("miner-2"),
            "--password-file", fixture.PasswordFile, "--deployment", fixture.DeploymentFile), 2, "keys consent", "--kind must be 'miner' or 'coordinator'");
        OneSentence(await RunAsync("withdraw", "--candidate", "0x12", "--deployment", fixture.DeploymentFile), 2, "withdraw", "is not a valid address");
        // Checked before any node is started.
        OneSentence(await RunAsync("devnet", "up", "--coordinator-url", "nope"), 2, "devnet up", "is not an http(s) URL");
    }

    [Fact]
    public async Task A_registered_staker_that_votes_gets_the_contracts_sentence()
    {
        var staker = await fixture.SignerAsync("miner-1-staker");
        var status = JsonDocument.Parse((await RunAsync("chain", "status", AddressOf("miner-1-staker"), "--deployment", fixture.DeploymentFile, "--json")).Out).RootElement;
        if (!status.TryGetProperty("registration", out var registration) || registration.ValueKind != JsonValueKind.Object)
        {
            Assert.Equal(0, (await RunAsync(["stake", "30000", .. staker])).Code);
            var registered = await RunAsync(["miner", "register", AddressOf("miner-1"), "--candidate-key", await fixture.KeyFileAsync("miner-1"), .. staker]);
            Assert.True(registered.Code == 0, registered.ToString());
        }
        OneSentence(await RunAsync(["vote", AddressOf("miner-1"), "1", .. staker]), 1, "vote", "cannot vote; deregister first (StakeBacksRegistration)");
    }

    [Fact]
    public async Task An_rpc_option_that_is_not_a_url_is_bad_input()
    {
        var r = await RunAsync("chain", "status", AddressOf("voter-1"), "--deployment", fixture.DeploymentFile, "--rpc", "localhost-8545");
        OneSentence(r, 2, "chain status", "is not an http(s) RPC URL");
    }

    [Fact]
    public async Task A_missing_password_file_is_a_key_problem()
    {
        var r = await RunAsync("stake", "1", "--key", await fixture.KeyFileAsync("voter-1"), "--password-file", Path.Combine(fixture.Temp, "nope", "pw.txt"),
            "--deployment", fixture.DeploymentFile);
        OneSentence(r, 4, "stake", "cannot read the password file");
    }

    [Fact]
    public async Task A_deployment_file_in_a_missing_directory_or_of_garbage_is_reported()
    {
        var missing = await RunAsync("chain", "status", AddressOf("voter-1"), "--deployment", Path.Combine(fixture.Temp, "no-dir", "devnet.json"), "--json");
        OneSentence(missing, 3, "chain status", "does not exist");
        Assert.Equal("deployment", JsonDocument.Parse(missing.Out).RootElement.GetProperty("kind").GetString());
        var garbage = Path.Combine(fixture.Temp, "garbage.json");
        await File.WriteAllTextAsync(garbage, "{ not json");
        OneSentence(await RunAsync("chain", "status", AddressOf("voter-1"), "--deployment", garbage), 3, "chain status", "is not a devnet deployment file");
    }

    [Fact]
    public async Task Zero_confirmations_for_a_transaction_are_refused()
    {
        var r = await RunAsync(["stake", "1", "--confirmations", "0", .. await fixture.SignerAsync("voter-1")]);
        OneSentence(r, 2, "stake", "--confirmations must be at least 1");
    }

    [Fact]
    public async Task Chain_watch_refuses_a_journal_in_a_missing_directory_and_bad_numbers()
    {
        var journal = await RunAsync("chain", "watch", "--journal", Path.Combine(fixture.Temp, "no-dir", "w.db"), "--deployment", fixture.DeploymentFile);
        OneSentence(journal, 2, "chain watch", "does not exist");
        var count = await RunAsync("chain", "watch", "--count", "0", "--deployment", fixture.DeploymentFile, "--json");
        OneSentence(count, 2, "chain watch", "--count must be at least 1");
        Assert.Equal("bad-input", JsonDocument.Parse(count.Out).RootElement.GetProperty("kind").GetString());
        var from = await RunAsync("chain", "watch", "--from-block", "-3", "--deployment", fixture.DeploymentFile);
        OneSentence(from, 2, "chain watch", "--from-block");
    }

    [Fact]
    public async Task Chain_watch_on_a_journal_that_is_not_a_database_stops_with_a_sentence()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Temp, "journal-is-a-folder")).FullName;
        OneSentence(await RunAsync("chain", "watch", "--journal", folder, "--deployment", fixture.DeploymentFile), 2, "chain watch", "is a directory");

        // An SQLite file whose tables have other columns: the journal cannot read it.
        var garbage = Path.Combine(fixture.Temp, "not-a-journal.db");
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={garbage}"))
        {
            await db.OpenAsync();
            await using var create = db.CreateCommand();
            create.CommandText = "CREATE TABLE journal (x INTEGER); CREATE TABLE snapshot (x INTEGER);";
            await create.ExecuteNonQueryAsync();
        }
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var r = await RunAsync(deadline.Token, "chain", "watch", "--journal", garbage, "--deployment", fixture.DeploymentFile, "--json");
        Assert.False(deadline.IsCancellationRequested, "the command outlived its watcher");
        OneSentence(r, 1, "chain watch", "the chain watcher stopped");
        Assert.Equal("watcher-stopped", JsonDocument.Parse(r.Out).RootElement.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("chain", "watch")]
    [InlineData("devnet", "advance", "--time", "1h")]
    [InlineData("chain", "status", "0x0000000000000000000000000000000000000001")]
    public async Task An_unreachable_node_is_one_sentence_for_every_reading_command(params string[] command)
    {
        var r = await RunAsync([.. command, "--deployment", fixture.DeploymentFile, "--rpc", $"http://127.0.0.1:{HardhatNode.FreePort()}"]);
        OneSentence(r, 3, $"{command[0]} {command[1]}", "unreachable");
    }

    [Fact]
    public async Task Keys_new_into_a_path_that_is_a_file_is_reported()
    {
        var notADir = Path.Combine(fixture.Temp, "not-a-dir");
        await File.WriteAllTextAsync(notADir, "x");
        var r = await RunAsync("keys", "new", "--keys-dir", notADir, "--password-file", fixture.PasswordFile, "--kdf", "light");
        Assert.NotEqual(0, r.Code);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cuckoo keys new: ", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public async Task Keys_import_of_a_missing_file_is_reported()
    {
        var r = await RunAsync("keys", "import", Path.Combine(fixture.Temp, "missing.hex"), "--keys-dir", fixture.KeysDir, "--password-file", fixture.PasswordFile);
        OneSentence(r, 4, "keys import", "cannot read");
    }

    [Fact]
    public async Task The_wrong_chain_is_refused_by_transactions_and_the_watcher_alike()
    {
        var other = Path.Combine(fixture.Temp, "chain-7.json");
        (fixture.Deployment with { ChainId = 7 }).Write(other);
        var staked = await RunAsync("stake", "1", "--key", await fixture.KeyFileAsync("voter-1"), "--password-file", fixture.PasswordFile, "--deployment", other);
        OneSentence(staked, 3, "stake", "wrong chain id");
        var watched = await RunAsync("chain", "watch", "--deployment", other);
        OneSentence(watched, 3, "chain watch", "wrong chain id");
    }
}
