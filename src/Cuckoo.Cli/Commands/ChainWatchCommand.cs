using System.CommandLine;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Cuckoo.Actors;
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
        var confirmations = new Option<int>("--confirmations") { Description = "Blocks on top before an event is printed.", DefaultValueFactory = _ => 2 };
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
            if (wanted is < 1 || depth < 0)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", "--count must be at least 1 and --confirmations at least 0");
            }
            ChainWatcherSettings settings;
            using (var session = await ChainSession.OpenAsync(ctx, o, ct))
            {
                settings = new ChainWatcherSettings
                {
                    RpcUrl = session.RpcUrl,
                    Staking = session.Staking.Address,
                    ChainId = session.Deployment.ChainId,
                    StartBlock = ctx.Parse.GetValue(from) ?? session.Deployment.DeployBlock,
                    Confirmations = depth,
                    PollInterval = TimeSpan.FromSeconds(1),
                };
            }
            var path = ctx.Parse.GetValue(journal);
            await using var system = ActorSystem.Create("cuckoo-chain-watch");
            system.UsePersistence(path is null ? PersistenceSettings.InMemory() : PersistenceSettings.Sqlite(path));
            var channel = Channel.CreateUnbounded<IChainWatcherEvent>();
            var sink = system.ActorOf(Props.Create(() => new ChannelSink(channel.Writer)), "printer");
            system.EventStream.Subscribe(sink, typeof(IChainWatcherEvent));
            system.ActorOf(ChainWatcher.ChainWatcher.Props(settings), "chain-watcher");

            var events = 0;
            try
            {
                await foreach (var e in channel.Reader.ReadAllAsync(ct))
                {
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
        }, (_, _) => { });
        return command;
    }

    private static string JsonLine(IChainWatcherEvent e) =>
        JsonSerializer.Serialize(new { type = e.GetType().Name, @event = (object)e }, LineJson).ReplaceLineEndings("");

    private static string HumanLine(IChainWatcherEvent e) => e switch
    {
        IChainEvent c => $"{c.Position.BlockNumber}:{c.Position.LogIndex} {c.GetType().Name} {JsonSerializer.Serialize((object)c, LineJson)}",
        _ => $"-- {e.GetType().Name} {JsonSerializer.Serialize((object)e, LineJson)}",
    };

    /// <summary>Hands what the watcher publishes to the command's loop.</summary>
    private sealed class ChannelSink(ChannelWriter<IChainWatcherEvent> writer) : ActorBase
    {
        protected override void OnReceive(object message)
        {
            if (message is IChainWatcherEvent e)
            {
                writer.TryWrite(e);
            }
        }
    }

    /// <summary>Every BigInteger in the watcher's events is a CAI amount in wei; printed as CAI.</summary>
    private sealed class CaiAmountConverter : JsonConverter<BigInteger>
    {
        public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Staking.Cai.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) => writer.WriteStringValue(Staking.Cai.Format(value));
    }
}
