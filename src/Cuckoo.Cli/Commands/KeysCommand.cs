using System.CommandLine;
using Cuckoo.Chain;

namespace Cuckoo.Cli.Commands;

/// <summary>`cuckoo keys new | list | show | import | sign | recover | consent`: Ethereum key files (Web3 Secret Storage v3) and EIP-191 signatures.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Create, list, import and use Ethereum key files (Web3 Secret Storage v3, readable by ethers and MetaMask).");
        command.Subcommands.Add(New());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Sign());
        command.Subcommands.Add(Recover());
        command.Subcommands.Add(Consent());
        return command;
    }

    /// <summary>
    /// `keys consent`: run by the owner of a miner's or coordinator's key, signs its EIP-712 <c>Registration</c> consent
    /// for one staker, kind and intro at the key's current nonce (read from the chain), for the staker's
    /// `miner register --consent` / `coordinator register --consent`. The consent is spent by that registration.
    /// </summary>
    private static Command Consent()
    {
        var o = new CliOptions();
        var staker = new Option<string>("--staker") { Description = "The staker that may register this key (its address).", Required = true };
        var kind = new Option<string>("--kind") { Description = "'miner' or 'coordinator'.", Required = true };
        var intro = new Option<string>("--intro") { Description = "The intro the staker will register (the consent covers it exactly).", DefaultValueFactory = _ => "" };
        var command = new Command("consent",
            "Sign, with the candidate's own key, its consent to be registered as a miner or coordinator by one staker (prints the signature for --consent).")
        {
            o.Key, o.KeysDir, o.PasswordFile, staker, kind, intro,
        };
        o.WithChain(command);
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var by = CliRun.ParseAddress(ctx.Parse.GetValue(staker), "--staker");
            var what = ctx.Parse.GetValue(kind) switch
            {
                "miner" => Cuckoo.Staking.CandidateKind.Miner,
                "coordinator" => Cuckoo.Staking.CandidateKind.Coordinator,
                var other => throw new CliException(ExitCodes.BadInput, "bad-input", $"--kind must be 'miner' or 'coordinator', not '{other}'"),
            };
            var text = ctx.Parse.GetValue(intro) ?? "";
            var key = KeyRing.Load(ctx, o, KeyRing.ResolveKeyFile(ctx, o));
            if (key.Address == by)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", $"--staker {by} is this key's own address: a staker registers another key");
            }
            using var session = await ChainSession.OpenAsync(ctx, o, ct);
            var nonce = await session.Staking.ConsentNonceOfAsync(key.Address);
            var typed = new Cuckoo.Staking.StakingTypedData(session.Deployment.ChainId, session.Staking.Address);
            var signature = typed.SignRegistration(key, by, what, text, nonce);
            return new ConsentResult(key.Address, by, what.ToString().ToLowerInvariant(), text, (long)nonce, Hex.Encode(signature));
        }, (ctx, r) => ctx.Out.WriteLine(r.Consent));
        return command;
    }

    private sealed record ConsentResult(Address Candidate, Address Staker, string Kind, string Intro, long Nonce, string Consent);

    private static Option<string> Kdf() => new("--kdf")
    {
        Description = "scrypt strength: 'standard' (n=131072) or 'light' (n=1024, for tests and throwaway keys only).",
        DefaultValueFactory = _ => "standard",
    };

    private static ScryptParameters KdfParameters(string value) => value switch
    {
        "standard" => ScryptParameters.Default,
        "light" => ScryptParameters.Light,
        _ => throw new CliException(ExitCodes.BadInput, "bad-input", $"--kdf must be 'standard' or 'light', not '{value}'"),
    };

    private static Command New()
    {
        var o = new CliOptions();
        var kdf = Kdf();
        var command = new Command("new", "Generate a key and save it, encrypted with a password, in the keys directory.") { o.Json, o.KeysDir, o.PasswordFile, kdf };
        CliRun.SetAction(command, o.Json, (ctx, _) =>
        {
            var parameters = KdfParameters(ctx.Parse.GetValue(kdf)!);
            var password = KeyRing.Password(ctx, o, "password for the new key", confirm: true);
            var key = EthKey.Generate();
            var file = KeyRing.Save(KeyRing.Directory(ctx, o), key, password, parameters);
            return Task.FromResult(new KeyResult(key.Address, file));
        }, (ctx, r) => ctx.Out.WriteLine($"created key {r.Address} in {r.File}"));
        return command;
    }

    private static Command List()
    {
        var o = new CliOptions();
        var command = new Command("list", "List the key files in the keys directory (no password needed).") { o.Json, o.KeysDir };
        CliRun.SetAction(command, o.Json, (ctx, _) =>
        {
            var dir = KeyRing.Directory(ctx, o);
            return Task.FromResult(new KeyListResult(dir, KeyRing.List(dir).Select(k => new KeyResult(k.Address, k.File)).ToList()));
        }, (ctx, r) =>
        {
            if (r.Keys.Count == 0)
            {
                ctx.Out.WriteLine($"no key files in {r.Directory}; create one with `cuckoo keys new`");
            }
            foreach (var k in r.Keys)
            {
                ctx.Out.WriteLine($"{k.Address}  {k.File}");
            }
        });
        return command;
    }

    private static Command Show()
    {
        var o = new CliOptions();
        var command = new Command("show", "Decrypt a key file (checking the password) and print its address and public key.") { o.Json, o.Key, o.KeysDir, o.PasswordFile };
        CliRun.SetAction(command, o.Json, (ctx, _) =>
        {
            var file = KeyRing.ResolveKeyFile(ctx, o);
            var key = KeyRing.Load(ctx, o, file);
            return Task.FromResult(new KeyShowResult(key.Address, file, Hex.Encode(key.PublicKey)));
        }, (ctx, r) =>
        {
            ctx.Out.WriteLine($"address     {r.Address}");
            ctx.Out.WriteLine($"file        {r.File}");
            ctx.Out.WriteLine($"public key  {r.PublicKey}");
        });
        return command;
    }

    private static Command Import()
    {
        var o = new CliOptions();
        var kdf = Kdf();
        var source = new Argument<string>("file") { Description = "A key file (v3 JSON, e.g. from ethers or geth) or a file holding a hex private key." };
        var command = new Command(
            "import",
            "Add a key to the keys directory: a v3 key file is checked with its password and copied; a hex private key is encrypted with the password.")
        {
            source, o.Json, o.KeysDir, o.PasswordFile, kdf,
        };
        CliRun.SetAction(command, o.Json, (ctx, _) =>
        {
            var path = ctx.Parse.GetValue(source)!;
            string text;
            try
            {
                text = File.ReadAllText(path).Trim();
            }
            catch (IOException ex)
            {
                throw new CliException(ExitCodes.Key, "key", $"cannot read {path}: {ex.Message}", ex);
            }
            var parameters = KdfParameters(ctx.Parse.GetValue(kdf)!);
            var dir = KeyRing.Directory(ctx, o);
            EthKey key;
            if (text.StartsWith('{'))
            {
                key = KeyRing.Load(ctx, o, Path.GetFullPath(path));
                return Task.FromResult(new KeyResult(key.Address, KeyRing.SaveJson(dir, key.Address, text)));
            }
            try
            {
                key = EthKey.FromHex(text);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw new CliException(ExitCodes.BadInput, "bad-key", $"{path} holds neither a v3 key file nor a 32-byte hex private key", ex);
            }
            var newPassword = KeyRing.Password(ctx, o, "password for the imported key", confirm: true);
            return Task.FromResult(new KeyResult(key.Address, KeyRing.Save(dir, key, newPassword, parameters)));
        }, (ctx, r) => ctx.Out.WriteLine($"imported key {r.Address} into {r.File}"));
        return command;
    }

    private static Command Sign()
    {
        var o = new CliOptions();
        var message = new Option<string>("--message", "-m") { Description = "The text to sign (EIP-191 personal message).", Required = true };
        var command = new Command("sign", "Sign a message with a key file (EIP-191, as MetaMask's personal_sign) and print the 65-byte signature.")
        {
            o.Key, message, o.Json, o.KeysDir, o.PasswordFile,
        };
        CliRun.SetAction(command, o.Json, (ctx, _) =>
        {
            var key = KeyRing.Load(ctx, o, KeyRing.ResolveKeyFile(ctx, o));
            var text = ctx.Parse.GetValue(message)!;
            return Task.FromResult(new SignResult(key.Address, text, PersonalMessage.Sign(key, text).ToHex()));
        }, (ctx, r) => ctx.Out.WriteLine(r.Signature));
        return command;
    }

    private static Command Recover()
    {
        var o = new CliOptions();
        var message = new Option<string>("--message", "-m") { Description = "The signed text.", Required = true };
        var signature = new Option<string>("--signature", "-s") { Description = "The 65-byte signature r‖s‖v in hex.", Required = true };
        var command = new Command("recover", "Print the checksummed address that signed a message (EIP-191).") { message, signature, o.Json };
        CliRun.SetAction(command, o.Json, (ctx, _) =>
        {
            var text = ctx.Parse.GetValue(message)!;
            var hex = ctx.Parse.GetValue(signature)!;
            try
            {
                return Task.FromResult(new RecoverResult(PersonalMessage.RecoverAddress(text, hex), text));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new CliException(ExitCodes.BadInput, "bad-signature", $"'{hex}' is not a valid signature: {ex.Message}", ex);
            }
        }, (ctx, r) => ctx.Out.WriteLine(r.Address.ToString()));
        return command;
    }

    private sealed record KeyResult(Address Address, string File);

    private sealed record KeyListResult(string Directory, IReadOnlyList<KeyResult> Keys);

    private sealed record KeyShowResult(Address Address, string File, string PublicKey);

    private sealed record SignResult(Address Address, string Message, string Signature);

    private sealed record RecoverResult(Address Address, string Message);
}
