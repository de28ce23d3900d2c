using System.Text.Json;
using System.Threading.Channels;
using Cuckoo.Coordinator.Admin;

namespace Cuckoo.Coordinator.Tests.Admin;

/// <summary>Reads <c>/admin/cluster/events</c> in the background; tests wait for the events they expect.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly Channel<(string Event, string Data)> _events = Channel.CreateUnbounded<(string, string)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private SseReader(HttpResponseMessage response)
    {
        Response = response;
        _loop = Task.Run(ReadAsync);
    }

    public HttpResponseMessage Response { get; }

    /// <summary>Every event read so far, in order.</summary>
    public List<(string Event, string Data)> Seen { get; } = [];

    public static async Task<SseReader> OpenAsync(HttpClient client, string path = "admin/cluster/events")
    {
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        return new SseReader(response);
    }

    /// <summary>The next cluster event matching <paramref name="match"/>; fails the test at the deadline.</summary>
    public async Task<ClusterEventView> WaitForAsync(Func<ClusterEventView, bool> match, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            while (true)
            {
                var (name, data) = await _events.Reader.ReadAsync(timeout.Token);
                Seen.Add((name, data));
                if (name is "overflow")
                {
                    throw new InvalidOperationException($"the stream overflowed: {data}");
                }
                var e = JsonSerializer.Deserialize<ClusterEventView>(data, AdminJson.Options)!;
                if (e.Type != name)
                {
                    throw new InvalidOperationException($"event {name} carries type {e.Type}");
                }
                if (match(e))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no matching event within {deadline}; seen: {string.Join(" | ", Seen.Select(s => $"{s.Event} {s.Data}"))}");
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await Response.Content.ReadAsStreamAsync(_stop.Token));
            string? name = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        _events.Writer.TryWrite((name ?? "message", string.Join('\n', data)));
                    }
                    (name, data) = (null, []);
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].TrimStart());
                }
            }
            _events.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _events.Writer.TryComplete(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Response.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
