using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cuckoo.Coordinator.Admin;

/// <summary>
/// <c>GET /cluster/events</c>: server-sent events, one <c>event: TYPE</c> and <c>data: JSON</c> per membership or
/// reachability change (the current members first, as events), each flushed as it happens, until the client goes.
/// </summary>
internal static class AdminEventStream
{
    public static async Task<IResult> RunAsync(HttpContext http)
    {
        if (!AdminEndpoints.TryGetSystem(http, out var system, out var problem))
        {
            return problem;
        }
        var options = http.RequestServices.GetService<AdminOptions>() ?? http.RequestServices.GetService<IOptions<AdminOptions>>()?.Value ?? new AdminOptions();
        var channel = Channel.CreateBounded<ClusterEventView>(new BoundedChannelOptions(Math.Max(1, options.EventBuffer))
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        var aborted = http.RequestAborted;
        var relay = system.ActorOf(ClusterEventRelay.Props(channel.Writer, AdminEndpoints.Time(http)));
        try
        {
            var response = http.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            // nginx and similar proxies would otherwise hold events back in their buffers.
            response.Headers["X-Accel-Buffering"] = "no";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(aborted);
            await SendAsync(response, ": cuckoo cluster events\n\n", aborted);
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                idle.CancelAfter(options.EventKeepAlive);
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await SendAsync(response, ": keepalive\n\n", aborted);
                    continue;
                }
                catch (Exception ex) when (ex is EventStreamOverflowException || ex.InnerException is EventStreamOverflowException)
                {
                    var data = JsonSerializer.Serialize(new { reason = ex.GetBaseException().Message }, AdminJson.Options);
                    await SendAsync(response, $"event: overflow\ndata: {data}\n\n", aborted);
                    break;
                }
                if (!more)
                {
                    // The relay stopped: the actor system is shutting down.
                    break;
                }
                while (channel.Reader.TryRead(out var e))
                {
                    await SendAsync(response, $"event: {e.Type}\ndata: {JsonSerializer.Serialize(e, AdminJson.Options)}\n\n", aborted);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
        finally
        {
            system.Stop(relay);
        }
        return Results.Empty;
    }

    private static async Task SendAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
