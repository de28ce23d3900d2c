using Cuckoo.Chain.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Cuckoo.Chain.Tests;

/// <summary>The client's backoff runs on the injected clock, so an hour of backoff costs a test no real time.</summary>
public sealed class ChainClientClockTests
{
    [Fact]
    public async Task A_retry_waits_for_its_backoff_on_the_injected_clock()
    {
        await using var server = new FakeRpcServer((request, n) => n == 1 ? new FakeReply(503, "busy") : FakeReply.Result("\"0x2a\"", request));
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        using var client = new ChainClient(server.Uri, new ChainClientOptions
        {
            MaxRetries = 1,
            InitialBackoff = TimeSpan.FromHours(1),
            MaxBackoff = TimeSpan.FromHours(1),
            // Far beyond every advance below, so that moving the clock never times out the retried request.
            RequestTimeout = TimeSpan.FromDays(20),
            Time = time,
        });

        var call = client.GetBlockNumberAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (server.Requests < 1 && DateTime.UtcNow < deadline)
        {
            await Task.WhenAny(call, Task.Delay(10));
        }
        Assert.Equal(1, server.Requests);
        // Only the fake clock can end the backoff: without an advance the call stays open.
        Assert.False(call.IsCompleted);

        // The backoff timer may not be registered yet when the first advance happens, so advance until the call ends.
        while (!call.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromHours(2));
            await Task.WhenAny(call, Task.Delay(10));
        }
        Assert.Equal(42, await call);
        Assert.Equal(2, server.Requests);
    }
}
