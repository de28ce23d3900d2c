using System.Net;
using System.Net.Sockets;
using Cuckoo.Cluster.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Cuckoo.Cluster.Tests.Http;

public sealed class ListenerPortsTests
{
    [Fact]
    public async Task An_endpoint_answers_only_on_its_own_listener_whatever_the_host_header_says()
    {
        var (admin, gateway) = (FreePort(), FreePort());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, admin);
            k.Listen(IPAddress.Loopback, gateway);
        });
        await using var app = builder.Build();
        app.UseListenerPorts();
        app.MapGroup("/admin").OnListener(admin).MapGet("/secret", () => "admin");
        app.MapGroup("/v1").OnListener(gateway).MapGet("/models", () => "models");
        await app.StartAsync();
        using var http = new HttpClient();

        Assert.Equal("admin", await http.GetStringAsync($"http://127.0.0.1:{admin}/admin/secret"));
        Assert.Equal("models", await http.GetStringAsync($"http://127.0.0.1:{gateway}/v1/models"));

        // The gateway's port with the admin listener's Host header: still the gateway's listener, so 404.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{gateway}/admin/secret");
        spoofed.Headers.Host = $"127.0.0.1:{admin}";
        using var answer = await http.SendAsync(spoofed);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        using var crossed = await http.GetAsync($"http://127.0.0.1:{admin}/v1/models");
        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);
    }

    private static int FreePort() => Cuckoo.Staking.Devnet.HardhatNode.FreePort();
}
