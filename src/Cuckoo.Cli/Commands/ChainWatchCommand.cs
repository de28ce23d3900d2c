using System.CommandLine;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Cuckoo.ChainWatcher;
using Cuckoo.Persistence;

namespace Cuckoo.Cli.Commands;

/// <summary>`cuckoo chain watch`: runs the chain-watcher actor and prints what it delivers, one line per message.</summary>
internal static class ChainWatchCommand
{
    private static readonly JsonSerializerOptions LineJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new CaiAmountConverter() },
    };

    public static Command Create()
    {
        var o = new CliOptions();
        var from = new Option<long?>("--from-block") { Description = "First block to read (default: the deployment block); ignored when the journal has a checkpoint." };
        var confirmations = new Option<int?>("--confirmations")
        {
            Description = "Blocks on top before an event is printed (default: 0 on an automining devnet, chain id 31337 or 1337, else 2).",
        };
        var journal = new Option<string?>("--journal") { Description = "SQLite file for the checkpoint, so a later run resumes after the last printed block (default: none, start afresh)." };
        var count = new Option<int?>("--count") { Description = "Exit after this many contract events (default: run until Ctrl+C)." };
        var command = new Command("watch", "Follow the staking contract's confirmed events through the chain-watcher actor (reorgs and staleness included).")
        {
            from, confirmations, journal, count,
        };
        o.WithChain(command);
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var wanted = ctx.Parse.GetValue(count);
            var depth = ctx.Parse.GetValue(confirmations);
            var start = ctx.Parse.GetValue(from);
            if (wanted is < 1 || depth is < 0 || start is < 0)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", "--count must be at least 1, and --confirmations and --from-block at least 0");
            }
            var path = ctx.Parse.GetValue(journal);
            if (path is not null && Directory.Exists(path))
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", $"--journal {path} is a directory, not a file");
            }
            if (path is not null && Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir && !Directory.Exists(dir))
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", $"--journal {path}: the directory {dir} does not exist");
            }
            ChainWatcherSettings settings;
            using (var session = await ChainSession.OpenAsync(ctx, o, ct))
            {
                settings = new ChainWatcherSettings
                {
                    RpcUrl = session.RpcUrl,
                    Staking = session.Staking.Address,
                    ChainId = session.Deployment.ChainId,
                    StartBlock = start ?? session.Deployment.DeployBlock,
                    Confirmations = depth,
                    PollInterval = TimeSpan.FromSeconds(1),
                };
            }
            using var system = ActorSystem.Create("cuckoo-chain-watch", SystemConfig(path));
            try
            {
                return await WatchAsync(ctx, system, settings, wanted, path, ct);
            }
            finally
            {
                await system.Terminate();
            }
        }, (_, _) => { });
        return command;
    }

    private static async Task<CliRun.Printed> WatchAsync(CliContext ctx, ActorSystem system, ChainWatcherSettings settings, int? wanted, string? journal, CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<object>();
        var watcher = system.ActorOf(ChainWatcher.ChainWatcher.Props(settings), "chain-watcher");
        var sink = system.ActorOf(Props.Create(() => new ChannelSink(channel.Writer, watcher)), "printer");
        system.EventStream.Subscribe(sink, typeof(IChainWatcherEvent));
        system.EventStream.Subscribe(sink, typeof(Error));
        var events = 0;
        try
        {
            await foreach (var message in channel.Reader.ReadAllAsync(ct))
            {
                if (message is WatcherStopped stopped)
                {
                    var where = journal is null ? "" : $" (journal {journal})";
                    throw new CliException(ExitCodes.Failed, "watcher-stopped", $"the chain watcher stopped{where}: {stopped.Reason}");
                }
                var e = (IChainWatcherEvent)message;
                await ctx.Out.WriteLineAsync(ctx.Json ? JsonLine(e) : HumanLine(e));
                if (e is IChainEvent && ++events == wanted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: a normal way to stop watching.
        }
        return CliRun.Printed.Instance;
    }

    /// <summary>
    /// Akka.Persistence.Sql on SQLite with --journal, Akka's in-memory journal without. Akka's own log goes nowhere:
    /// stdout carries the event lines, staleness arrives as events with its reason, and an error that stops the
    /// watcher is printed as the command's one failure sentence.
    /// </summary>
    internal static Config SystemConfig(string? journal)
    {
        var logging = $$"""
            akka.loglevel = ERROR
            akka.stdout-loglevel = OFF
            akka.loggers = ["{{typeof(SilentLogger).AssemblyQualifiedName}}"]
            """;
        if (journal is null)
        {
            return ConfigurationFactory.ParseString(logging).WithFallback(PersistenceSettings.InMemoryConfig());
        }
        var settings = PersistenceSettings.Sqlite(Path.GetFullPath(journal));
        settings.PrepareStorage();
        // A snapshot store that cannot read its file (tables of another shape) never answers: give up after 10 s
        // rather than Akka's 30 s; the snapshot keeps the journal short, so recovery needs far less.
        return ConfigurationFactory.ParseString(logging + """

            akka.persistence.journal.sql.recovery-event-timeout = 10s
            """).WithFallback(settings.ToConfig());
    }

    private static string JsonLine(IChainWatcherEvent e) =>
        JsonSerializer.Serialize(new { type = e.GetType().Name, @event = (object)e }, LineJson).ReplaceLineEndings("");

    private static string HumanLine(IChainWatcherEvent e) => e switch
    {
        IChainEvent c => $"{c.Position.BlockNumber}:{c.Position.LogIndex} {c.GetType().Name} {JsonSerializer.Serialize((object)c, LineJson)}",
        _ => $"-- {e.GetType().Name} {JsonSerializer.Serialize((object)e, LineJson)}",
    };

    private sealed record WatcherStopped(string Reason);

    /// <summary>Hands what the watcher publishes to the command's loop, and says why if the watcher stops.</summary>
    private sealed class ChannelSink : ReceiveActor
    {
        private string? _lastError;

        public ChannelSink(ChannelWriter<object> writer, IActorRef watcher)
        {
            Context.Watch(watcher);
            Receive<IChainWatcherEvent>(e => writer.TryWrite(e));
            Receive<Error>(error => _lastError = error.Cause?.GetBaseException().Message ?? error.Message?.ToString());
            Receive<Terminated>(_ => writer.TryWrite(new WatcherStopped(_lastError ?? "see the node and journal")));
        }
    }

    /// <summary>Akka's logger for this command: answers the logging bus's start-up handshake and drops every line.</summary>
    public sealed class SilentLogger : ReceiveActor
    {
        public SilentLogger()
        {
            Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
            ReceiveAny(_ => { });
        }
    }

    /// <summary>Every BigInteger in the watcher's events is a CAI amount in wei; printed as CAI.</summary>
    private sealed class CaiAmountConverter : JsonConverter<BigInteger>
    {
        public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Staking.Cai.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) => writer.WriteStringValue(Staking.Cai.Format(value));
    }
}
