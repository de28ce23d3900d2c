using System.CommandLine;
using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Cli.Commands;

// Registrations: `miner register | deregister`, `coordinator register | deregister | set-url`, each with the candidate
// key's signed consent.
internal static partial class StakingCommands
{
    public static Command Miner()
    {
        var command = new Command("miner", "Miner registration on the staking contract.");
        command.Subcommands.Add(Register("register", "Register a miner address for your stake (needs more than the minimum miner self-stake, 20,000 CAI on the devnet).", coordinator: false));
        command.Subcommands.Add(Deregister("miner"));
        command.Subcommands.Add(NodeCommands.MinerRun());
        return command;
    }

    public static Command Coordinator()
    {
        var command = new Command("coordinator", "Coordinator registration on the staking contract.");
        command.Subcommands.Add(Register("register", "Register a coordinator address with its enrolment URL for your stake (needs more than the minimum coordinator self-stake, 2,000,000 CAI on the devnet).", coordinator: true));
        command.Subcommands.Add(Deregister("coordinator"));
        command.Subcommands.Add(SetUrl());
        command.Subcommands.Add(NodeCommands.CoordinatorRun());
        return command;
    }

    private static Command Register(string name, string description, bool coordinator)
    {
        var candidate = new Argument<string>("address") { Description = "The address to register (the miner's or coordinator's own key, not the staker's)." };
        var intro = new Option<string>("--intro") { Description = "A short public description (the consent covers it).", DefaultValueFactory = _ => "" };
        var candidateKey = new Option<string?>("--candidate-key")
        {
            Description = "The candidate's key file: signs its consent here (password: --candidate-password-file, else the signer's password sources).",
        };
        var candidatePassword = new Option<string?>("--candidate-password-file") { Description = "File whose first line is the --candidate-key's password." };
        var consent = new Option<string?>("--consent")
        {
            Description = "The candidate's consent signature (hex), made by its owner with `cuckoo keys consent`.",
        };
        var url = new Option<string?>("--url") { Description = "The coordinator's public enrolment URL, where miners enrol (http or https).", Required = coordinator };
        var kind = coordinator ? CandidateKind.Coordinator : CandidateKind.Miner;
        var word = coordinator ? "coordinator" : "miner";
        Symbol[] symbols = coordinator ? [candidate, intro, candidateKey, candidatePassword, consent, url] : [candidate, intro, candidateKey, candidatePassword, consent];
        return Transaction(name, description, symbols, (ctx, o) =>
        {
            var who = CliRun.ParseAddress(ctx.Parse.GetValue(candidate), $"{word} address");
            var text = ctx.Parse.GetValue(intro) ?? "";
            var keyFile = ctx.Parse.GetValue(candidateKey);
            var consentHex = ctx.Parse.GetValue(consent);
            if ((keyFile is null) == (consentHex is null))
            {
                throw new CliException(ExitCodes.BadInput, "bad-input",
                    $"registering a {word} needs its key's consent: pass either --candidate-key FILE (signs it here) or --consent HEX (made by the {word}'s owner with `cuckoo keys consent`)");
            }
            var given = consentHex is null ? null : ParseSignature(consentHex, "--consent");
            var enrolment = coordinator ? ParseUrl(ctx.Parse.GetValue(url)) : null;
            return async (session, sender, key, ct) =>
            {
                var typed = new StakingTypedData(session.Deployment.ChainId, session.Staking.Address);
                var nonce = await session.Staking.ConsentNonceOfAsync(who);
                byte[] signature;
                if (keyFile is not null)
                {
                    var candidateKey = KeyRing.Load(ctx, o, keyFile, ctx.Parse.GetValue(candidatePassword));
                    if (candidateKey.Address != who)
                    {
                        throw new CliException(ExitCodes.BadInput, "bad-input", $"--candidate-key {keyFile} is the key of {candidateKey.Address}, not of {who}");
                    }
                    signature = typed.SignRegistration(candidateKey, sender.Address, kind, text, nonce);
                }
                else
                {
                    signature = given!;
                    // Checked here so that a consent for another staker, intro or nonce is one sentence, not a failed transaction.
                    var signer = StakingTypedData.Recover(typed.RegistrationDigest(sender.Address, kind, text, nonce), signature);
                    if (signer != who)
                    {
                        throw new CliException(ExitCodes.BadInput, "bad-input",
                            $"--consent is not {who}'s consent to a {word} registration by {sender.Address} with this --intro and nonce {nonce}: ask its owner for a new one (`cuckoo keys consent`)");
                    }
                }
                var outcome = await ctx.WaitAsync($"registering {word} {who}", () => session.SendAsync(() => coordinator
                    ? session.Staking.RegisterCoordinatorAsync(sender, who, text, enrolment!, signature, ct)
                    : session.Staking.RegisterMinerAsync(sender, who, text, signature, ct), ct));
                var info = await session.Staking.CandidateOfAsync(who);
                var details = new List<(string, string)> { (word, who.ToString()), ("active", info.Active ? "true" : "false"), ("weight", CliRun.FormatCai(info.Weight)) };
                if (enrolment is not null)
                {
                    details.Add(("url", enrolment));
                }
                return Result($"{word} register", sender, [Tx(coordinator ? "registerCoordinator" : "registerMiner", outcome)], [.. details]);
            };
        });
    }

    private static Command SetUrl()
    {
        var url = new Argument<string>("url") { Description = "The coordinator's new public enrolment URL (http or https)." };
        return Transaction("set-url", "Change the enrolment URL of the coordinator your stake registered.", [url], (ctx, _) =>
        {
            var text = ParseUrl(ctx.Parse.GetValue(url));
            return async (session, sender, key, ct) =>
            {
                var outcome = await ctx.WaitAsync("changing the coordinator's URL", () => session.SendAsync(() => session.Staking.SetCoordinatorUrlAsync(sender, text, ct), ct));
                var changed = outcome.Single<CoordinatorUrlChanged>();
                return Result("coordinator set-url", sender, [Tx("setCoordinatorUrl", outcome)], ("coordinator", changed.Coordinator.ToString()), ("url", changed.Url));
            };
        });
    }

    /// <summary>An absolute http(s) URL of at most the contract's 256 bytes.</summary>
    internal static string ParseUrl(string? text)
    {
        var value = (text ?? "").Trim();
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"'{text}' is not an http(s) URL such as https://coordinator.example:8443");
        }
        if (System.Text.Encoding.UTF8.GetByteCount(value) > 256)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"the URL is {System.Text.Encoding.UTF8.GetByteCount(value)} bytes; the contract takes at most 256");
        }
        return value;
    }

    /// <summary>A 65-byte signature r‖s‖v in hex.</summary>
    internal static byte[] ParseSignature(string text, string what)
    {
        try
        {
            var bytes = Hex.Decode(text.Trim());
            if (bytes.Length == 65)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
        }
        throw new CliException(ExitCodes.BadInput, "bad-input", $"{what} must be a 65-byte signature in hex (130 hex digits), as `cuckoo keys consent` prints");
    }

    private static Command Deregister(string kind) => Transaction("deregister", $"End your {kind} registration; your free stake unbonds in its pool (withdraw it after the unbonding period). Its key may consent to a new registration.", [], (ctx, _) =>
        async (session, sender, key, ct) =>
        {
            var outcome = await ctx.WaitAsync("deregistering", () => session.SendAsync(() => session.Staking.DeregisterAsync(sender, ct), ct));
            return Result($"{kind} deregister", sender, [Tx("deregister", outcome)], ("candidate", outcome.Single<Deregistered>().Candidate.ToString()));
        });
}
