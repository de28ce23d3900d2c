using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Spectre.Console;

namespace Cuckoo.Cli.Commands;

/// <summary>Exit codes of the stakers' commands (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The chain refused: a revert (with its reason), a failed transaction, a timeout waiting for it.</summary>
    public const int Failed = 1;

    /// <summary>Bad input: an address with a wrong checksum, an amount that is not one, a missing argument.</summary>
    public const int BadInput = 2;

    /// <summary>The chain cannot be used: node unreachable, wrong chain id, no deployment file, no contract at its address.</summary>
    public const int Chain = 3;

    /// <summary>A key problem: key file missing or unreadable, wrong password, no password source.</summary>
    public const int Key = 4;
}

/// <summary>An expected failure with its message and exit code; anything else is a bug and shows its stack.</summary>
internal sealed class CliException(int exitCode, string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public string Kind { get; } = kind;
}

/// <summary>What a command's action gets: its parse result, where to write, and whether to write JSON.</summary>
internal sealed class CliContext(ParseResult parse, bool json)
{
    public ParseResult Parse { get; } = parse;

    public bool Json { get; } = json;

    public TextWriter Out => Parse.InvocationConfiguration.Output;

    public TextWriter Error => Parse.InvocationConfiguration.Error;

    /// <summary>A person at a terminal: prompts and spinners are allowed (never with --json or redirected output).</summary>
    public bool Interactive => !Json && ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected && !Console.IsInputRedirected;

    /// <summary>Runs <paramref name="work"/> behind a spinner when <see cref="Interactive"/>, plainly otherwise.</summary>
    public async Task<T> WaitAsync<T>(string status, Func<Task<T>> work)
    {
        if (!Interactive)
        {
            return await work();
        }
        return await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(status), _ => work());
    }
}

/// <summary>Runs a command body with the shared error mapping and JSON/human output.</summary>
internal static class CliRun
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>A result that says the command has printed its output itself (e.g. a stream of lines).</summary>
    public sealed class Printed
    {
        public static readonly Printed Instance = new();

        private Printed()
        {
        }
    }

    /// <summary>
    /// Sets the action of <paramref name="command"/>: <paramref name="body"/> returns the result object, printed as JSON
    /// with --json or by <paramref name="human"/> otherwise; failures become a message on stderr (and a JSON error
    /// object on stdout with --json) and a non-zero exit code.
    /// </summary>
    public static void SetAction<T>(Command command, Option<bool> json, Func<CliContext, CancellationToken, Task<T>> body, Action<CliContext, T> human)
        where T : notnull
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = new CliContext(parse, parse.GetValue(json));
            try
            {
                var result = await body(context, cancellationToken);
                if (result is Printed)
                {
                    return ExitCodes.Ok;
                }
                if (context.Json)
                {
                    await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, JsonOptions));
                }
                else
                {
                    human(context, result);
                }
                return ExitCodes.Ok;
            }
            catch (Exception ex)
            {
                var failure = Map(ex) ?? Unexpected(ex);
                if (context.Json)
                {
                    await context.Out.WriteLineAsync(JsonSerializer.Serialize(new { error = failure.Message, kind = failure.Kind, exitCode = failure.ExitCode }, JsonOptions));
                }
                await context.Error.WriteLineAsync($"cuckoo {CommandPath(parse)}: {failure.Message}");
                return failure.ExitCode;
            }
        });
    }

    /// <summary>
    /// A failure nobody foresaw (a bug): still one sentence, never a stack trace; CUCKOO_DEBUG=1 prints the trace
    /// for a bug report.
    /// </summary>
    private static CliException Unexpected(Exception ex)
    {
        var debug = Environment.GetEnvironmentVariable("CUCKOO_DEBUG") is "1" or "true";
        var detail = debug ? $"{ex}" : $"{ex.GetType().Name}: {ex.Message} (a bug; CUCKOO_DEBUG=1 shows where)";
        return new CliException(ExitCodes.Failed, "internal-error", $"unexpected error: {detail}", ex);
    }

    /// <summary>"keys sign" for `cuckoo keys sign …` (the root's name is the executable's, so it is left out).</summary>
    internal static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Add(result.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The message and exit code for an expected failure; null for a bug.</summary>
    internal static CliException? Map(Exception ex) => ex switch
    {
        CliException cli => cli,
        StakingRevertException revert => new CliException(ExitCodes.Failed, "revert", revert.Message, revert),
        ContractRevertException revert => new CliException(ExitCodes.Failed, "revert", revert.Message, revert),
        TransactionFailedException failed => new CliException(ExitCodes.Failed, "transaction-failed", failed.Message, failed),
        RpcUnavailableException down => new CliException(ExitCodes.Chain, "node-unreachable", $"the node is unreachable: {down.Message}", down),
        HttpRequestException down => new CliException(ExitCodes.Chain, "node-unreachable", $"the node is unreachable: {down.Message}", down),
        RpcException rpc => new CliException(ExitCodes.Failed, "rpc-error", $"the node refused {rpc.Method}: {rpc.RpcMessage}", rpc),
        KeyStoreException key => new CliException(ExitCodes.Key, "key", key.Message, key),
        DevnetException devnet => new CliException(ExitCodes.Chain, "deployment", devnet.Message, devnet),
        TimeoutException timeout => new CliException(ExitCodes.Failed, "timeout",
            $"{timeout.Message.TrimEnd('.')}; it was sent and may still be mined, so check with `cuckoo chain status` before sending it again", timeout),
        FileNotFoundException missing => new CliException(ExitCodes.BadInput, "file", $"{missing.FileName ?? "a file"} does not exist", missing),
        DirectoryNotFoundException missing => new CliException(ExitCodes.BadInput, "file", missing.Message, missing),
        IOException io => new CliException(ExitCodes.BadInput, "file", io.Message, io),
        UnauthorizedAccessException denied => new CliException(ExitCodes.BadInput, "file", denied.Message, denied),
        OperationCanceledException => new CliException(ExitCodes.Failed, "cancelled", "cancelled"),
        _ => null,
    };

    /// <summary>Parses an address, explaining a bad EIP-55 checksum or length.</summary>
    public static Address ParseAddress(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"{what} is required");
        }
        try
        {
            return Address.Parse(text.Trim());
        }
        catch (FormatException ex)
        {
            throw new CliException(ExitCodes.BadInput, "bad-address", $"{what} '{text}' is not a valid address: {ex.Message}", ex);
        }
    }

    /// <summary>Parses a positive CAI amount such as "20000" or "0.5" that fits a uint256 of wei.</summary>
    public static BigInteger ParseAmount(string? text)
    {
        BigInteger wei;
        try
        {
            wei = Cai.Parse(text ?? "");
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new CliException(ExitCodes.BadInput, "bad-amount", ex.Message, ex);
        }
        if (wei.IsZero)
        {
            throw new CliException(ExitCodes.BadInput, "bad-amount", "the amount must be greater than zero");
        }
        return wei;
    }

    public static string FormatCai(BigInteger wei) => Cai.Format(wei);
}
