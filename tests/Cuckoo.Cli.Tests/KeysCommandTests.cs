using System.Text.Json;
using Cuckoo.Chain;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

[Collection("staker-cli")]
public sealed class KeysCommandTests(StakerCliFixture fixture) : IDisposable
{
    private readonly string _keys = Directory.CreateTempSubdirectory("cuckoo-cli-keys-").FullName;

    public void Dispose() => Directory.Delete(_keys, recursive: true);

    [Fact]
    public async Task Keys_new_sign_recover_round_trip_gives_the_key_address()
    {
        var created = await RunAsync("keys", "new", "--keys-dir", _keys, "--password-file", fixture.PasswordFile, "--kdf", "light", "--json");
        Assert.True(created.Code == 0, created.ToString());
        using var json = JsonDocument.Parse(created.Out);
        var address = json.RootElement.GetProperty("address").GetString()!;
        var file = json.RootElement.GetProperty("file").GetString()!;
        Assert.Equal(Address.Parse(address), KeyStore.ReadAddress(await File.ReadAllTextAsync(file)));

        var listed = await RunAsync("keys", "list", "--keys-dir", _keys);
        Assert.Contains(address, listed.Out);

        var signed = await RunAsync("keys", "sign", "--key", file, "--message", "join cluster 42", "--password-file", fixture.PasswordFile);
        Assert.True(signed.Code == 0, signed.ToString());
        var signature = signed.Out.Trim();
        Assert.Matches("^0x[0-9a-f]{130}$", signature);

        var recovered = await RunAsync("keys", "recover", "--message", "join cluster 42", "--signature", signature);
        Assert.True(recovered.Code == 0, recovered.ToString());
        Assert.Equal(address, recovered.Out.Trim());

        // The key can also be named by its address in the keys directory.
        var shown = await RunAsync("keys", "show", "--key", address, "--keys-dir", _keys, "--password-file", fixture.PasswordFile, "--json");
        Assert.True(shown.Code == 0, shown.ToString());
        Assert.Contains(address, shown.Out);

        var other = await RunAsync("keys", "recover", "--message", "join cluster 43", "--signature", signature);
        Assert.NotEqual(address, other.Out.Trim());
    }

    [Fact]
    public async Task Keys_take_the_password_from_the_environment_and_fail_clearly_without_one()
    {
        var created = await RunAsync("keys", "new", "--keys-dir", _keys, "--password-file", fixture.PasswordFile, "--kdf", "light", "--json");
        var file = JsonDocument.Parse(created.Out).RootElement.GetProperty("file").GetString()!;
        try
        {
            Environment.SetEnvironmentVariable("CUCKOO_KEY_PASSWORD", Password);
            var signed = await RunAsync("keys", "sign", "--key", file, "--message", "hi");
            Assert.True(signed.Code == 0, signed.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("CUCKOO_KEY_PASSWORD", null);
        }
        var none = await RunAsync("keys", "sign", "--key", file, "--message", "hi");
        Assert.Equal(4, none.Code);
        Assert.Contains("no password", none.Err);
    }

    [Fact]
    public async Task Keys_with_a_wrong_password_exit_4_and_say_so()
    {
        var created = await RunAsync("keys", "new", "--keys-dir", _keys, "--password-file", fixture.PasswordFile, "--kdf", "light", "--json");
        var file = JsonDocument.Parse(created.Out).RootElement.GetProperty("file").GetString()!;
        var wrong = Path.Combine(_keys, "wrong.txt");
        await File.WriteAllTextAsync(wrong, "not it");
        var signed = await RunAsync("keys", "sign", "--key", file, "--message", "hi", "--password-file", wrong, "--json");
        Assert.Equal(4, signed.Code);
        Assert.Contains("wrong password", signed.Err);
        Assert.Equal("bad-password", JsonDocument.Parse(signed.Out).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Keys_recover_rejects_a_malformed_signature_and_import_rejects_garbage()
    {
        var recovered = await RunAsync("keys", "recover", "--message", "hi", "--signature", "0x1234");
        Assert.Equal(2, recovered.Code);
        Assert.StartsWith("cuckoo keys recover: ", recovered.Err);
        Assert.Contains("not a valid signature", recovered.Err);

        var garbage = Path.Combine(_keys, "garbage.txt");
        await File.WriteAllTextAsync(garbage, "hello");
        var imported = await RunAsync("keys", "import", garbage, "--keys-dir", _keys, "--password-file", fixture.PasswordFile);
        Assert.Equal(2, imported.Code);
        Assert.Empty(Directory.GetFiles(_keys, "*.json"));
    }

    [Fact]
    public async Task Keys_import_of_a_v3_file_keeps_it_readable_and_refuses_duplicates()
    {
        var key = EthKey.Generate();
        var source = Path.Combine(_keys, "from-elsewhere.v3");
        await File.WriteAllTextAsync(source, KeyStore.Encrypt(key, Password, ScryptParameters.Light));
        var dir = Path.Combine(_keys, "ring");
        var imported = await RunAsync("keys", "import", source, "--keys-dir", dir, "--password-file", fixture.PasswordFile);
        Assert.True(imported.Code == 0, imported.ToString());
        var file = Assert.Single(Directory.GetFiles(dir, "*.json"));
        Assert.Equal(key.Address, KeyStore.Decrypt(await File.ReadAllTextAsync(file), Password).Address);
        var again = await RunAsync("keys", "import", source, "--keys-dir", dir, "--password-file", fixture.PasswordFile);
        Assert.Equal(4, again.Code);
        Assert.Contains("already exists", again.Err);
    }
}
