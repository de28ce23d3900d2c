using System.Net;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Cli.Commands;

/// <summary>What both node commands share once their settings are bound.</summary>
internal static class NodeRun
{
    public sealed record CoordinatorSettingsInput(Uri RpcUrl, Chain.Address Staking, long ChainId, long DeployBlock, string RegisteredUrl, Chain.Address Token);

    /// <summary>One line per event on stderr with the time: stdout stays for the command's own lines.</summary>
    public static void Logging(ILoggingBuilder logging) =>
        logging.ClearProviders()
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting", LogLevel.Warning);

    /// <summary>The endpoint a registered https://host:port URL names; the host must be an IP address (a name is for --listen).</summary>
    public static IPEndPoint EndPointOf(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && IPAddress.TryParse(uri.Host, out var ip))
        {
            return new IPEndPoint(ip, uri.Port);
        }
        throw new CliException(ExitCodes.BadInput, "bad-input", $"the URL registered on chain ('{url}') does not name an IP address and port to listen on: pass --listen HOST:PORT");
    }

    public static Task UntilStoppedAsync(CancellationToken ct) =>
        Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
}
