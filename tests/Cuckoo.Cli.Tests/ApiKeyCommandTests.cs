using System.Text.Json;
using Cuckoo.Gateway;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

/// <summary>`cuckoo apikey new | list` on a key file in a temporary folder, read back with the gateway's own <see cref="ApiKeyStore"/>.</summary>
public sealed class ApiKeyCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("cuckoo-cli-apikey-").FullName;

    private string KeyFile => Path.Combine(_temp, "coordinator", "api-keys.json");

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static void OneSentence(CliRunResult r, int code, string command, string contains)
    {
        Assert.True(r.Code == code, r.ToString());
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.ToString());
        Assert.StartsWith($"cuckoo {command}: ", lines[0]);
        Assert.Contains(contains, lines[0]);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
    }

    [Fact]
    public async Task New_prints_the_key_once_and_stores_only_its_digest_in_an_owner_only_file_that_the_gateway_reads()
    {
        var first = await RunAsync("apikey", "new", "--app", "photo-app", "--file", KeyFile);
        Assert.True(first.Code == 0, first.ToString());
        var key = Assert.Single(first.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.StartsWith(ApiKeyStore.KeyPrefix, key);
        Assert.Contains($"API key for app 'photo-app' added to {KeyFile}", first.Err);
        Assert.Contains("only its SHA-256 is stored", first.Err);

        var second = await RunAsync("apikey", "new", "--app", "chat-app", "--file", KeyFile, "--json");
        Assert.True(second.Code == 0, second.ToString());
        var view = JsonDocument.Parse(second.Out).RootElement;
        var other = view.GetProperty("key").GetString()!;
        Assert.Equal("chat-app", view.GetProperty("app").GetString());
        Assert.Equal(KeyFile, view.GetProperty("file").GetString());

        var text = await File.ReadAllTextAsync(KeyFile);
        Assert.DoesNotContain(key, text);
        Assert.DoesNotContain(other, text);
        var store = ApiKeyStore.Load(KeyFile);
        Assert.Equal(2, store.Count);
        Assert.True(store.TryAuthenticate(key, out var app));
        Assert.Equal("photo-app", app);
        Assert.True(store.TryAuthenticate(other, out app));
        Assert.Equal("chat-app", app);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }
        // The temp file of the atomic write is gone.
        Assert.Equal([KeyFile], Directory.GetFiles(Path.GetDirectoryName(KeyFile)!));

        var list = await RunAsync("apikey", "list", "--file", KeyFile);
        Assert.True(list.Code == 0, list.ToString());
        Assert.Contains("photo-app", list.Out);
        Assert.Contains("chat-app", list.Out);
        Assert.Contains($"2 key(s) of 2 app(s) in {KeyFile}", list.Out);
        Assert.DoesNotContain(key, list.Out);
        Assert.DoesNotContain(other, list.Out);

        var json = await RunAsync("apikey", "list", "--file", KeyFile, "--json");
        var keys = JsonDocument.Parse(json.Out).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("app").GetString()).ToList();
        Assert.Equal(["photo-app", "chat-app"], keys);
    }

    [Fact]
    public async Task An_existing_file_keeps_its_permissions()
    {
        Assert.Equal(0, (await RunAsync("apikey", "new", "--app", "a", "--file", KeyFile)).Code);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(KeyFile, shared);
        Assert.Equal(0, (await RunAsync("apikey", "new", "--app", "a", "--file", KeyFile)).Code);
        Assert.Equal(shared, File.GetUnixFileMode(KeyFile));
        Assert.Equal(2, ApiKeyStore.Load(KeyFile).Count);
    }

    [Theory]
    [InlineData("team/app")]
    [InlineData("   ")]
    public async Task An_app_name_the_gateway_would_refuse_exits_2_and_writes_nothing(string name)
    {
        OneSentence(await RunAsync("apikey", "new", "--app", name, "--file", KeyFile), 2, "apikey new", $"--app '{name}' cannot name an app: an app id must be non-empty and without '/'");
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task A_file_that_is_not_a_key_file_is_left_alone_with_one_sentence()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        await File.WriteAllTextAsync(KeyFile, """[{"app": "x", "sha256": "abc"}]""");
        OneSentence(await RunAsync("apikey", "new", "--app", "y", "--file", KeyFile), 2, "apikey new", $"{KeyFile} is not an API key file");
        OneSentence(await RunAsync("apikey", "list", "--file", KeyFile), 2, "apikey list", "needs a sha256 of 64 hex digits");
        Assert.Equal("""[{"app": "x", "sha256": "abc"}]""", await File.ReadAllTextAsync(KeyFile));
        OneSentence(await RunAsync("apikey", "list", "--file", _temp), 2, "apikey list", "is a folder");
    }

    [Fact]
    public async Task List_without_a_file_says_there_are_no_keys_yet()
    {
        var r = await RunAsync("apikey", "list", "--file", KeyFile);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal($"no API keys yet: {KeyFile} does not exist (`cuckoo apikey new --app NAME` makes it)", r.Out.Trim());
    }
}
