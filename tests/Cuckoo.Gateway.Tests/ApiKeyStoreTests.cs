using System.Text.Json;

namespace Cuckoo.Gateway.Tests;

public sealed class ApiKeyStoreTests
{
    [Fact]
    public void A_minted_key_authenticates_as_its_app_and_others_do_not()
    {
        var (key1, entry1) = ApiKeyStore.Mint("app-1");
        var (key2, entry2) = ApiKeyStore.Mint("app-2");
        var store = new ApiKeyStore([entry1, entry2]);

        Assert.True(store.TryAuthenticate(key1, out var app1));
        Assert.Equal("app-1", app1);
        Assert.True(store.TryAuthenticate(key2, out var app2));
        Assert.Equal("app-2", app2);
        Assert.False(store.TryAuthenticate(key1 + "x", out _));
        Assert.False(store.TryAuthenticate("", out _));
        Assert.DoesNotContain(key1, entry1.Sha256);
    }

    [Fact]
    public void The_store_loads_from_a_file_of_app_and_sha256()
    {
        var (key, entry) = ApiKeyStore.Mint("app-1");
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, JsonSerializer.Serialize(new[] { entry }, GatewayProblems.Json));
            Assert.Contains("\"sha256\"", File.ReadAllText(path));
            var store = ApiKeyStore.Load(path);
            Assert.True(store.TryAuthenticate(key, out var app));
            Assert.Equal("app-1", app);

            File.WriteAllText(path, """[{"app":"a","sha256":"abc"}]""");
            Assert.Throws<FormatException>(() => ApiKeyStore.Load(path));
            File.WriteAllText(path, "not json");
            Assert.Throws<FormatException>(() => ApiKeyStore.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
