using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Crypto;
using Nethereum.KeyStore.Model;

namespace Cuckoo.Chain;

/// <summary>scrypt cost parameters of a key file.</summary>
/// <param name="N">CPU/memory cost, a power of two.</param>
/// <param name="R">Block size.</param>
/// <param name="P">Parallelism.</param>
public sealed record ScryptParameters(int N = 131072, int R = 8, int P = 1)
{
    /// <summary>n = 2^17, r = 8, p = 1: what geth and ethers write (about a second per unlock, by design).</summary>
    public static ScryptParameters Default { get; } = new();

    /// <summary>n = 2^18, r = 1, p = 8: Nethereum's default; files written with it are read too.</summary>
    public static ScryptParameters Nethereum { get; } = new(262144, 1, 8);

    /// <summary>n = 1024: only for tests and throwaway keys; cheap to brute-force.</summary>
    public static ScryptParameters Light { get; } = new(1024, 8, 1);
}

/// <summary>The key file is malformed, uses an unsupported scheme, or the password is wrong.</summary>
public sealed class KeyStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Web3 Secret Storage v3 key files (scrypt or pbkdf2 + aes-128-ctr, keccak256 MAC), as geth and ethers write them.
/// The cryptography is Nethereum.KeyStore's; this class adds what Nethereum leaves to its callers: passwords are
/// NFKC-normalized (as ethers does), the cost parameters are bounded before any work is done, the stated address
/// must match the key, and every failure is a <see cref="KeyStoreException"/> with a sentence.
/// </summary>
public static class KeyStore
{
    // Anything beyond this would make decryption take minutes or gigabytes; no real wallet writes such files.
    private const int MaxScryptN = 1 << 20;
    private const int MaxPbkdf2Iterations = 10_000_000;

    private static readonly KeyStoreService Service = new();

    /// <summary>Encrypts <paramref name="key"/> under <paramref name="password"/> and returns the key file's JSON.</summary>
    /// <exception cref="ArgumentException">scrypt parameters out of range.</exception>
    public static string Encrypt(EthKey key, string password, ScryptParameters? kdf = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        kdf ??= ScryptParameters.Default;
        if (!ScryptInRange(kdf.N, kdf.R, kdf.P))
        {
            throw new ArgumentException($"scrypt n={kdf.N}, r={kdf.R}, p={kdf.P}: n must be a power of two up to 2^20, r 1..64, p 1..16.", nameof(kdf));
        }
        var parameters = new ScryptParams { Dklen = 32, N = kdf.N, R = kdf.R, P = kdf.P };
        return new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            Normalize(password), key.PrivateKey, key.Address.ToLowerHex()[2..], parameters);
    }

    /// <summary>Decrypts a key file.</summary>
    /// <exception cref="KeyStoreException">malformed JSON, unsupported cipher or kdf, wrong password, or an address that does not match the key.</exception>
    public static EthKey Decrypt(string json, string password)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(password);
        JsonNode root;
        try
        {
            root = JsonNode.Parse(json) ?? throw new KeyStoreException("The key file is empty.");
        }
        catch (JsonException ex)
        {
            throw new KeyStoreException($"The key file is not valid JSON: {ex.Message}", ex);
        }
        try
        {
            Check(root);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            throw new KeyStoreException($"The key file is malformed: {ex.Message}", ex);
        }
        byte[] privateKey;
        try
        {
            privateKey = Service.DecryptKeyStoreFromJson(Normalize(password), json);
        }
        catch (DecryptionException ex)
        {
            throw new KeyStoreException("Wrong password (or a corrupted key file): the MAC does not match.", ex);
        }
        catch (Exception ex) when (ex is not KeyStoreException)
        {
            throw new KeyStoreException($"The key file is malformed: {ex.Message}", ex);
        }
        if (privateKey.Length != 32)
        {
            throw new KeyStoreException($"The encrypted key is {privateKey.Length} bytes, not 32.");
        }
        EthKey key;
        try
        {
            key = EthKey.FromPrivateKey(privateKey);
        }
        catch (ArgumentException ex)
        {
            throw new KeyStoreException($"The key file holds no valid private key: {ex.Message}", ex);
        }
        var addressText = root["address"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(addressText) && (!Address.TryParse(addressText, out var stated) || stated != key.Address))
        {
            throw new KeyStoreException($"The key file says address {addressText} but holds the key of {key.Address}.");
        }
        return key;
    }

    /// <summary>The address a key file states, without decrypting it.</summary>
    /// <exception cref="KeyStoreException">no valid address in the file.</exception>
    public static Address ReadAddress(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var text = JsonNode.Parse(json)?["address"]?.GetValue<string>();
            return Address.TryParse(text, out var address) ? address : throw new KeyStoreException("The key file has no valid 'address'.");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new KeyStoreException($"The key file is malformed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// False when the runtime cannot normalize Unicode (globalization-invariant mode: <c>InvariantGlobalization</c> is
    /// true, or no ICU): then <c>string.Normalize(FormKC)</c> silently returns its input, and a non-ASCII password typed
    /// in another Unicode form than the one a file was made with will not open it. Hosts that take passwords should
    /// run with <c>InvariantGlobalization</c> false (ICU is on Debian as libicu).
    /// </summary>
    public static bool NormalizesPasswords { get; } = "\uFB01".Normalize(NormalizationForm.FormKC) == "fi";

    // Same bytes as ethers for the same password, whatever Unicode form the user's keyboard produced.
    private static string Normalize(string password) => password.Normalize(NormalizationForm.FormKC);

    private static bool ScryptInRange(int n, int r, int p) =>
        n >= 2 && (n & (n - 1)) == 0 && n <= MaxScryptN && r is >= 1 and <= 64 && p is >= 1 and <= 16;

    // What Nethereum does not check before it starts deriving keys.
    private static void Check(JsonNode root)
    {
        var version = root["version"]?.GetValue<int>();
        if (version != 3)
        {
            throw new KeyStoreException($"Only version 3 key files are supported (this one says {version?.ToString() ?? "nothing"}).");
        }
        var crypto = root["crypto"] ?? root["Crypto"] ?? throw new KeyStoreException("The key file has no 'crypto' section.");
        var cipher = crypto["cipher"]?.GetValue<string>();
        if (cipher != "aes-128-ctr")
        {
            throw new KeyStoreException($"Cipher '{cipher}' is not supported (only aes-128-ctr).");
        }
        foreach (var (name, value) in new[] { ("iv", crypto["cipherparams"]?["iv"]), ("ciphertext", crypto["ciphertext"]), ("mac", crypto["mac"]) })
        {
            if (!Hex.TryDecode(value?.GetValue<string>(), out var bytes) || bytes.Length == 0)
            {
                throw new KeyStoreException($"The key file is malformed: '{name}' is not hex.");
            }
        }
        var p = crypto["kdfparams"] ?? throw new KeyStoreException("The key file has no 'kdfparams'.");
        if (!Hex.TryDecode(p["salt"]?.GetValue<string>(), out _))
        {
            throw new KeyStoreException("The key file is malformed: 'salt' is not hex.");
        }
        var dkLen = p["dklen"]!.GetValue<int>();
        if (dkLen is < 32 or > 64)
        {
            throw new KeyStoreException($"dklen {dkLen} is not supported (32 to 64).");
        }
        switch (crypto["kdf"]?.GetValue<string>())
        {
            case "scrypt":
                var n = p["n"]!.GetValue<int>();
                var r = p["r"]!.GetValue<int>();
                var par = p["p"]!.GetValue<int>();
                if (!ScryptInRange(n, r, par))
                {
                    throw new KeyStoreException($"scrypt parameters n={n}, r={r}, p={par} are out of the supported range.");
                }
                break;
            case "pbkdf2":
                var prf = p["prf"]?.GetValue<string>();
                if (prf != "hmac-sha256")
                {
                    throw new KeyStoreException($"pbkdf2 prf '{prf}' is not supported (only hmac-sha256).");
                }
                var c = p["c"]!.GetValue<int>();
                if (c is < 1 or > MaxPbkdf2Iterations)
                {
                    throw new KeyStoreException($"pbkdf2 iteration count {c} is out of range.");
                }
                break;
            case var other:
                throw new KeyStoreException($"Key derivation '{other}' is not supported (scrypt or pbkdf2).");
        }
    }
}
