using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cuckoo.Gateway.Tests;

public sealed class HostEndpointTests
{
    [Fact]
    public async Task Healthz_and_readyz_answer_without_a_key()
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("readyz")).StatusCode);
    }

    [Fact]
    public async Task Models_lists_the_catalog_in_openai_shape()
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client();
        var list = await client.GetFromJsonAsync<JsonElement>("v1/models");
        Assert.Equal("list", list.GetProperty("object").GetString());
        var models = list.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("input").GetString());
        Assert.Equal("prompt", models["cuckoo-cppn"]);
        Assert.Equal("image_base64", models["ppocr-v4-det"]);
    }

    [Fact]
    public async Task The_openapi_document_names_the_endpoints()
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client(key: null);
        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/tasks", paths);
        Assert.Contains("/v1/tasks/{id}/events", paths);
        Assert.Contains("/v1/images/generations", paths);
    }
}
