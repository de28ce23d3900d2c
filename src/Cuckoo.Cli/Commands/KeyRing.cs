using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Spectre.Console;

namespace Cuckoo.Cli.Commands;

/// <summary>Key files in a keys directory, and where passwords come from.</summary>
internal static class KeyRing
{
    public const string PasswordVariable = "CUCKOO_KEY_PASSWORD";

    /// <summary>--keys-dir, else CUCKOO_KEYS_DIR, else data/keys under the repository (or the current directory).</summary>
    public static string Directory(CliContext context, CliOptions options)
    {
        var explicitDir = context.Parse.GetValue(options.KeysDir) ?? Environment.GetEnvironmentVariable("CUCKOO_KEYS_DIR");
        if (!string.IsNullOrWhiteSpace(explicitDir))
        {
            return Path.GetFullPath(explicitDir);
        }
        return Path.Combine(DataDirectory(), "keys");
    }

    /// <summary>The repository's data/ folder when run from it (or via the launcher), else ./data.</summary>
    public static string DataDirectory()
    {
        try
        {
            return Path.Combine(DevnetSettings.FindRoot(), "data");
        }
        catch (DevnetException)
        {
            return Path.GetFullPath("data");
        }
    }

    /// <summary>The key file named by --key (a path, or an address in the keys directory), else CUCKOO_KEY.</summary>
    public static string ResolveKeyFile(CliContext context, CliOptions options)
    {
        var value = context.Parse.GetValue(options.Key) ?? Environment.GetEnvironmentVariable("CUCKOO_KEY");
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new CliException(ExitCodes.Key, "no-key", "no key: pass --key FILE (or an address in the keys directory) or set CUCKOO_KEY");
        }
        if (File.Exists(value))
        {
            return Path.GetFullPath(value);
        }
        if (Address.TryParse(value, out var address))
        {
            var dir = Directory(context, options);
            var match = List(dir).FirstOrDefault(k => k.Address == address);
            return match?.File ?? throw new CliException(ExitCodes.Key, "no-key", $"no key file for {address} in {dir}");
        }
        throw new CliException(ExitCodes.Key, "no-key", $"key file {value} does not exist");
    }

    /// <summary>The key files in <paramref name="dir"/> (files that are not key files are skipped).</summary>
    public static IReadOnlyList<KeyListing> List(string dir)
    {
        if (!System.IO.Directory.Exists(dir))
        {
            return [];
        }
        var keys = new List<KeyListing>();
        foreach (var file in System.IO.Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                keys.Add(new KeyListing(KeyStore.ReadAddress(File.ReadAllText(file)), file));
            }
            catch (KeyStoreException)
            {
                // Not a key file; the directory may hold other things.
            }
        }
        return keys;
    }

    /// <summary>Decrypts the key in <paramref name="file"/> with the password from the usual sources.</summary>
    public static EthKey Load(CliContext context, CliOptions options, string file)
    {
        string json;
        try
        {
            json = File.ReadAllText(file);
        }
        catch (IOException ex)
        {
            throw new CliException(ExitCodes.Key, "key", $"cannot read key file {file}: {ex.Message}", ex);
        }
        return Decrypt(file, json, Password(context, options, $"password for {Path.GetFileName(file)}", confirm: false));
    }

    /// <summary>Decrypts the key in <paramref name="file"/> with the password of another option (e.g. the candidate's key file).</summary>
    public static EthKey Load(CliContext context, CliOptions options, string file, string? passwordFile)
    {
        if (passwordFile is null)
        {
            return Load(context, options, file);
        }
        string json, password;
        try
        {
            json = File.ReadAllText(file);
            password = File.ReadLines(passwordFile).FirstOrDefault() ?? "";
        }
        catch (IOException ex)
        {
            throw new CliException(ExitCodes.Key, "key", $"cannot read {file} or its password file {passwordFile}: {ex.Message}", ex);
        }
        return Decrypt(file, json, password);
    }

    private static EthKey Decrypt(string file, string json, string password)
    {
        try
        {
            return KeyStore.Decrypt(json, password);
        }
        catch (KeyStoreException ex) when (ex.Message.StartsWith("Wrong password", StringComparison.Ordinal))
        {
            throw new CliException(ExitCodes.Key, "bad-password", $"wrong password for key file {file}", ex);
        }
        catch (KeyStoreException ex)
        {
            throw new CliException(ExitCodes.Key, "key", $"{file}: {ex.Message}", ex);
        }
    }

    /// <summary>--password-file, else CUCKOO_KEY_PASSWORD, else a prompt (only at a terminal).</summary>
    public static string Password(CliContext context, CliOptions options, string prompt, bool confirm)
    {
        var file = context.Parse.GetValue(options.PasswordFile);
        if (file is not null)
        {
            try
            {
                return File.ReadLines(file).FirstOrDefault() ?? "";
            }
            catch (IOException ex)
            {
                throw new CliException(ExitCodes.Key, "no-password", $"cannot read the password file {file}: {ex.Message}", ex);
            }
        }
        if (Environment.GetEnvironmentVariable(PasswordVariable) is { } fromEnv)
        {
            return fromEnv;
        }
        if (!context.Interactive)
        {
            throw new CliException(ExitCodes.Key, "no-password", $"no password: pass --password-file FILE or set {PasswordVariable}");
        }
        var password = AnsiConsole.Prompt(new TextPrompt<string>($"{Markup.Escape(prompt)}:").Secret().AllowEmpty());
        if (confirm && AnsiConsole.Prompt(new TextPrompt<string>("repeat it:").Secret().AllowEmpty()) != password)
        {
            throw new CliException(ExitCodes.Key, "no-password", "the passwords differ");
        }
        return password;
    }

    /// <summary>Writes a new key file into <paramref name="dir"/>, named after the address; never overwrites.</summary>
    public static string Save(string dir, EthKey key, string password, ScryptParameters kdf) =>
        SaveJson(dir, key.Address, KeyStore.Encrypt(key, password, kdf));

    /// <summary>Writes key file <paramref name="json"/> for <paramref name="address"/> into <paramref name="dir"/> (owner-only permissions); never overwrites.</summary>
    public static string SaveJson(string dir, Address address, string json)
    {
        System.IO.Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"{address}.json");
        if (File.Exists(file))
        {
            throw new CliException(ExitCodes.Key, "key-exists", $"{file} already exists");
        }
        var temp = file + ".tmp";
        File.WriteAllText(temp, json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temp, file);
        return file;
    }
}

internal sealed record KeyListing(Address Address, string File);
