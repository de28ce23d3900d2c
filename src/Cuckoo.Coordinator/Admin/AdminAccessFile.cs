using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cuckoo.Coordinator.Admin;

/// <summary>Where the admin endpoint listens, its token and the SHA-256 thumbprint of its certificate.</summary>
/// <param name="Thumbprint">Lowercase hex SHA-256 of the listener's certificate; null for a listener without TLS.</param>
public sealed record AdminAccess(Uri Url, string Token, string? Thumbprint)
{
    /// <summary>Lets <c>var (url, token) = AdminAccessFile.Read(path)</c> read as the two-field form did.</summary>
    public void Deconstruct(out Uri url, out string token)
    {
        url = Url;
        token = Token;
    }
}

/// <summary>
/// The file the coordinator writes at start so that the CLI on the same machine finds its admin endpoint:
/// <c>{"url": …, "token": …, "thumbprint": …}</c>, readable by its owner only (mode 0600).
/// </summary>
public static class AdminAccessFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><c>DATA/coordinator/admin.json</c>: where a coordinator with data directory <paramref name="dataDirectory"/> writes it.</summary>
    public static string DefaultPath(string dataDirectory) => Path.Combine(dataDirectory, "coordinator", "admin.json");

    /// <summary>Writes the file atomically; it never exists, even briefly, with wider permissions than 0600.</summary>
    public static void Write(string path, Uri url, string token, string? thumbprint = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"the admin URL {url} is not an absolute http(s) URL", nameof(url));
        }
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dir);
            }
            else
            {
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        var temp = $"{full}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, new Stored(url.ToString(), token, thumbprint is null ? null : NormalizeThumbprint(thumbprint)), Json);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Reads a file <see cref="Write"/> wrote.</summary>
    /// <exception cref="FileNotFoundException">no such file.</exception>
    /// <exception cref="InvalidDataException">not an access file; the message says what is wrong.</exception>
    public static AdminAccess Read(string path)
    {
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not an admin access file: {ex.Message}", ex);
        }
        if (stored is null || string.IsNullOrWhiteSpace(stored.Url) || string.IsNullOrWhiteSpace(stored.Token))
        {
            throw new InvalidDataException($"{path} is not an admin access file: it needs \"url\" and \"token\"");
        }
        if (!Uri.TryCreate(stored.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new InvalidDataException($"{path} is not an admin access file: \"url\" {stored.Url} is not an http(s) URL");
        }
        return new AdminAccess(url, stored.Token, string.IsNullOrWhiteSpace(stored.Thumbprint) ? null : NormalizeThumbprint(stored.Thumbprint));
    }

    /// <summary>A fresh token: 32 random bytes, base64url (43 characters).</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lowercase hex without separators, so that "AB:CD…" and "abcd…" compare equal.</summary>
    public static string NormalizeThumbprint(string thumbprint) =>
        thumbprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    private sealed record Stored(string Url, string Token, string? Thumbprint);
}
