using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cuckoo.Gateway;

/// <summary>
/// Apps' API keys, held as SHA-256 digests only (a leaked file or heap dump gives no usable key). Loaded from a JSON
/// array of <c>{"app": "...", "sha256": "hex"}</c>; <see cref="Mint"/> makes a new key and the entry to store.
/// </summary>
public sealed class ApiKeyStore
{
    public const string KeyPrefix = "ck_";

    private readonly (string App, byte[] Digest)[] _entries;

    public ApiKeyStore(IEnumerable<ApiKeyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries.Select(Validate).ToArray();
    }

    public int Count => _entries.Length;

    /// <exception cref="FormatException">the file is not a list of valid entries.</exception>
    public static ApiKeyStore Load(string path)
    {
        List<ApiKeyEntry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<ApiKeyEntry>>(File.ReadAllText(path), GatewayProblems.Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"API key file {path} is not a JSON array of {{app, sha256}}: {e.Message}", e);
        }
        return new ApiKeyStore(entries ?? throw new FormatException($"API key file {path} is empty"));
    }

    /// <summary>A new random key (shown once to the app's owner) and the entry that stores its digest.</summary>
    public static (string Key, ApiKeyEntry Entry) Mint(string app)
    {
        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (key, new ApiKeyEntry(app, Convert.ToHexStringLower(Digest(key))));
    }

    /// <summary>
    /// The app whose key this is. Every entry is compared, in constant time, with no early exit, so the answer's timing
    /// says nothing about which entry came close; the store holds few keys, so the scan is cheap.
    /// </summary>
    public bool TryAuthenticate(string presented, out string app)
    {
        var digest = Digest(presented);
        app = "";
        var found = false;
        foreach (var entry in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, entry.Digest) && !found)
            {
                app = entry.App;
                found = true;
            }
        }
        return found;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static (string, byte[]) Validate(ApiKeyEntry entry)
    {
        if (string.IsNullOrWhiteSpace(entry.App) || entry.App.Contains('/'))
        {
            throw new FormatException($"API key entry '{entry.App}': an app id must be non-empty and without '/'");
        }
        if (entry.Sha256 is not { Length: 64 } || !entry.Sha256.All(Uri.IsHexDigit))
        {
            throw new FormatException($"API key entry for app '{entry.App}' needs a sha256 of 64 hex digits");
        }
        return (entry.App, Convert.FromHexString(entry.Sha256));
    }
}

public sealed record ApiKeyEntry(string App, string Sha256);
