using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cuckoo.Coordinator.Scheduler;

namespace Cuckoo.Gateway.Tests;

public sealed class ImageEndpointTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_generation_answers_b64_json_of_the_png()
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client();
        using var response = await client.PostAsync("v1/images/generations", Json("""{"prompt":"a cuckoo clock","size":"64x64"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("created").GetInt64() > 0);
        var image = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(GatewayHost.Png, Convert.FromBase64String(image.GetProperty("b64_json").GetString()!));
        Assert.Equal("a cuckoo clock", image.GetProperty("revised_prompt").GetString());
        Assert.False(image.TryGetProperty("url", out _));
    }

    [Fact]
    public async Task Url_mode_answers_urls_that_serve_the_png()
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client();
        using var response = await client.PostAsync("v1/images/generations", Json("""{"prompt":"x","model":"cuckoo-cppn","response_format":"url"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var image = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").EnumerateArray());
        var url = new Uri(image.GetProperty("url").GetString()!);
        Assert.Equal(host.Url.Authority, url.Authority);
        using var png = await client.GetAsync(url);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal(GatewayHost.Png, await png.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task N_of_two_gives_two_images()
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client();
        using var response = await client.PostAsync("v1/images/generations", Json("""{"prompt":"x","n":2,"response_format":"url"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var urls = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").EnumerateArray().Select(d => d.GetProperty("url").GetString()).ToList();
        Assert.Equal(2, urls.Count);
        Assert.Equal(2, urls.Distinct().Count());
    }

    [Fact]
    public async Task Without_a_valid_key_the_answer_is_a_401_openai_error()
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var key in new string?[] { null, "ck_wrong" })
        {
            using var client = host.Client(key);
            using var response = await client.PostAsync("v1/images/generations", Json("""{"prompt":"x"}"""));
            await Problems.AssertOpenAiAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        }
    }

    [Fact]
    public async Task A_full_queue_is_a_429_openai_error_with_retry_after()
    {
        await using var host = await GatewayHost.StartAsync(new SchedulerSettings { MaxQueue = 1 }, complete: false);
        using var client = host.Client();
        using var response = await client.PostAsync("v1/images/generations", Json("""{"prompt":"x","n":2}"""));
        var error = await Problems.AssertOpenAiAsync(response, HttpStatusCode.TooManyRequests, "queue_full");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Tasks_that_do_not_finish_in_time_are_a_504_openai_error()
    {
        await using var host = await GatewayHost.StartAsync(options: new GatewayOptions { ImageTimeout = TimeSpan.FromMilliseconds(300) }, complete: false);
        using var client = host.Client();
        using var response = await client.PostAsync("v1/images/generations", Json("""{"prompt":"x"}"""));
        await Problems.AssertOpenAiAsync(response, HttpStatusCode.GatewayTimeout, "timeout");
    }

    [Theory]
    [InlineData("{\"prompt\":", "malformed_json", "")]
    [InlineData("{\"n\":1}", "invalid_request", "prompt")]
    [InlineData("{\"prompt\":\"x\",\"n\":5}", "invalid_request", "n")]
    [InlineData("{\"prompt\":\"x\",\"size\":\"4096x4096\"}", "invalid_request", "size")]
    [InlineData("{\"prompt\":\"x\",\"size\":\"big\"}", "invalid_request", "size")]
    [InlineData("{\"prompt\":\"x\",\"response_format\":\"jpeg\"}", "invalid_request", "response_format")]
    [InlineData("{\"prompt\":\"x\",\"model\":\"dall-e-3\"}", "model_not_found", "model")]
    [InlineData("{\"prompt\":\"x\",\"model\":\"ppocr-v4-det\"}", "invalid_request", "model")]
    public async Task A_bad_request_is_a_400_openai_error(string body, string code, string param)
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client();
        using var response = await client.PostAsync("v1/images/generations", Json(body));
        var error = await Problems.AssertOpenAiAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(param == "" ? null : param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_prompt_body_over_64_KiB_is_a_413_openai_error()
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client();
        using var response = await client.PostAsync("v1/images/generations", Json($$"""{"prompt":"{{new string('a', 70_000)}}"}"""));
        await Problems.AssertOpenAiAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }
}
