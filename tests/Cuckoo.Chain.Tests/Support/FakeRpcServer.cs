using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cuckoo.Chain.Tests.Support;

/// <summary>What the fake node does with one HTTP request.</summary>
internal sealed record FakeReply(int Status = 200, string? Body = null, bool Abort = false, Task? HoldUntil = null)
{
    public static FakeReply Result(string resultJson, JsonElement request) =>
        new(Body: $$"""{"jsonrpc":"2.0","id":{{request.GetProperty("id").GetRawText()}},"result":{{resultJson}}}""");

    public static FakeReply Error(int code, string message, JsonElement request, string? dataJson = null)
    {
        var data = dataJson is null ? "" : ",\"data\":" + dataJson;
        var id = request.GetProperty("id").GetRawText();
        return new(Body: "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":" + code + ",\"message\":" + JsonSerializer.Serialize(message) + data + "}}");
    }
}

/// <summary>A real HTTP server on 127.0.0.1 and a free port that answers JSON-RPC as the test scripts it.</summary>
internal sealed class FakeRpcServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<JsonElement, int, FakeReply> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public FakeRpcServer(Func<JsonElement, int, FakeReply> handler)
    {
        _handler = handler;
        // A probed port is in the ephemeral range, where another process's outgoing connection can take it before the
        // bind: a few tries, each on a fresh port.
        // A listener whose start failed is closed for good, so each try has a new one.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                _listener = listener;
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; private set; }

    public Uri Uri => new($"http://127.0.0.1:{Port}/");

    /// <summary>HTTP requests received so far (a batch counts once).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes when the test ends; replies held on it never come in time.</summary>
    public Task Stopped => Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var number = Interlocked.Increment(ref _requests);
            using var document = JsonDocument.Parse(body);
            var reply = _handler(document.RootElement.Clone(), number);
            if (reply.HoldUntil is { } hold)
            {
                await hold;
            }
            if (reply.Abort)
            {
                context.Response.Abort();
                return;
            }
            context.Response.StatusCode = reply.Status;
            var bytes = Encoding.UTF8.GetBytes(reply.Body ?? "");
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception)
        {
            // The client gave up on this request (a timeout test) or the server is stopping.
            try
            {
                context.Response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        await _loop;
        _stop.Dispose();
    }
}
