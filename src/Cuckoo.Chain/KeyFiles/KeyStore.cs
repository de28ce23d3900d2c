using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Generators;

namespace Cuckoo.Chain;

/// <summary>scrypt cost parameters of a key file.</summary>
/// <param name="N">CPU/memory cost, a power of two.</param>
/// <param name="R">Block size.</param>
/// <param name="P">Parallelism.</param>
public sealed record ScryptParameters(int N = 131072, int R = 8, int P = 1)
{
    /// <summary>n = 2^17, r = 8, p = 1: what geth and ethers write (about a second per unlock, by design).</summary>
    public static ScryptParameters Default { get; } = new();

    /// <summary>n = 1024: only for tests and throwaway keys; cheap to brute-force.</summary>
    public static ScryptParameters Light { get; } = new(1024, 8, 1);
}

/// <summary>The key file is malformed, uses an unsupported scheme, or the password is wrong.</summary>
public sealed class KeyStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Web3 Secret Storage v3 key files (scrypt or pbkdf2 + aes-128-ctr, keccak256 MAC), as geth and ethers write them.</summary>
public static class KeyStore
{
    // Anything beyond this would make decryption take minutes or gigabytes; no real wallet writes such files.
    private const int MaxScryptN = 1 << 20;
    private const int MaxPbkdf2Iterations = 10_000_000;

    /// <summary>Encrypts <paramref name="key"/> under <paramref name="password"/> and returns the key file's JSON.</summary>
    public static string Encrypt(EthKey key, string password, ScryptParameters? kdf = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        kdf ??= ScryptParameters.Default;
        if (kdf.N < 2 || (kdf.N & (kdf.N - 1)) != 0 || kdf.N > MaxScryptN || kdf.R < 1 || kdf.P < 1)
        {
            throw new ArgumentException("scrypt N must be a power of two up to 2^20, and r and p at least 1.", nameof(kdf));
        }
        var salt = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(16);
        var derived = SCrypt.Generate(Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC)), salt, kdf.N, kdf.R, kdf.P, 32);
        var ciphertext = AesCtr(derived.AsSpan(0, 16), iv, key.PrivateKey);
        var mac = Mac(derived, ciphertext);
        var json = new JsonObject
        {
            ["address"] = key.Address.ToLowerHex()[2..],
            ["id"] = Guid.NewGuid().ToString(),
            ["version"] = 3,
            ["crypto"] = new JsonObject
            {
                ["cipher"] = "aes-128-ctr",
                ["cipherparams"] = new JsonObject { ["iv"] = Hex.Encode(iv, prefix: false) },
                ["ciphertext"] = Hex.Encode(ciphertext, prefix: false),
                ["kdf"] = "scrypt",
                ["kdfparams"] = new JsonObject
                {
                    ["dklen"] = 32,
                    ["n"] = kdf.N,
                    ["p"] = kdf.P,
                    ["r"] = kdf.R,
                    ["salt"] = Hex.Encode(salt, prefix: false),
                },
                ["mac"] = Hex.Encode(mac, prefix: false),
            },
        };
        return json.ToJsonString();
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
            return Decrypt(root, password);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            throw new KeyStoreException($"The key file is malformed: {ex.Message}", ex);
        }
    }

    private static EthKey Decrypt(JsonNode root, string password)
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
        var iv = Hex.Decode(crypto["cipherparams"]!["iv"]!.GetValue<string>());
        var ciphertext = Hex.Decode(crypto["ciphertext"]!.GetValue<string>());
        var expectedMac = Hex.Decode(crypto["mac"]!.GetValue<string>());
        var kdf = crypto["kdf"]?.GetValue<string>();
        var p = crypto["kdfparams"] ?? throw new KeyStoreException("The key file has no 'kdfparams'.");
        var salt = Hex.Decode(p["salt"]!.GetValue<string>());
        var dkLen = p["dklen"]!.GetValue<int>();
        if (dkLen < 32 || dkLen > 64)
        {
            throw new KeyStoreException($"dklen {dkLen} is not supported (32 to 64).");
        }
        var passwordBytes = Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC));
        byte[] derived;
        if (kdf == "scrypt")
        {
            var n = p["n"]!.GetValue<int>();
            var r = p["r"]!.GetValue<int>();
            var par = p["p"]!.GetValue<int>();
            if (n < 2 || (n & (n - 1)) != 0 || n > MaxScryptN || r < 1 || r > 64 || par < 1 || par > 16)
            {
                throw new KeyStoreException($"scrypt parameters n={n}, r={r}, p={par} are out of the supported range.");
            }
            derived = SCrypt.Generate(passwordBytes, salt, n, r, par, dkLen);
        }
        else if (kdf == "pbkdf2")
        {
            var prf = p["prf"]?.GetValue<string>();
            if (prf != "hmac-sha256")
            {
                throw new KeyStoreException($"pbkdf2 prf '{prf}' is not supported (only hmac-sha256).");
            }
            var c = p["c"]!.GetValue<int>();
            if (c < 1 || c > MaxPbkdf2Iterations)
            {
                throw new KeyStoreException($"pbkdf2 iteration count {c} is out of range.");
            }
            derived = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, c, HashAlgorithmName.SHA256, dkLen);
        }
        else
        {
            throw new KeyStoreException($"Key derivation '{kdf}' is not supported (scrypt or pbkdf2).");
        }
        var mac = Mac(derived, ciphertext);
        if (!CryptographicOperations.FixedTimeEquals(mac, expectedMac))
        {
            throw new KeyStoreException("Wrong password (or a corrupted key file): the MAC does not match.");
        }
        if (ciphertext.Length != 32)
        {
            throw new KeyStoreException($"The encrypted key is {ciphertext.Length} bytes, not 32.");
        }
        var key = EthKey.FromPrivateKey(AesCtr(derived.AsSpan(0, 16), iv, ciphertext));
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

    private static byte[] Mac(byte[] derived, byte[] ciphertext)
    {
        var input = new byte[16 + ciphertext.Length];
        derived.AsSpan(16, 16).CopyTo(input);
        ciphertext.CopyTo(input, 16);
        return Keccak256.Hash(input);
    }

    // CTR mode from ECB: encrypt the big-endian counter block and XOR; encryption and decryption are the same.
    private static byte[] AesCtr(ReadOnlySpan<byte> key, byte[] iv, byte[] input)
    {
        if (iv.Length != 16)
        {
            throw new KeyStoreException($"The aes-128-ctr iv is {iv.Length} bytes, not 16.");
        }
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var counter = (byte[])iv.Clone();
        var output = new byte[input.Length];
        var keystream = new byte[16];
        for (var offset = 0; offset < input.Length; offset += 16)
        {
            aes.EncryptEcb(counter, keystream, PaddingMode.None);
            var count = Math.Min(16, input.Length - offset);
            for (var i = 0; i < count; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ keystream[i]);
            }
            IncrementBigEndian(counter);
        }
        return output;
    }

    private static void IncrementBigEndian(byte[] counter)
    {
        for (var i = counter.Length - 1; i >= 0; i--)
        {
            if (++counter[i] != 0)
            {
                return;
            }
        }
    }
}
