using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cuckoo.Coordinator.Scheduler;

namespace Cuckoo.Gateway.Tests;

public sealed class TaskEndpointTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static readonly string PromptTask = """{"model":"cuckoo-cppn","inputs":{"prompt":"a cuckoo"},"parameters":{"width":64,"height":64}}""";

    [Fact]
    public async Task A_submitted_task_streams_queued_assigned_running_completed_and_its_result_is_the_png()
    {
        await using var host = await GatewayHost.StartAsync(holdPicks: true);
        using var client = host.Client();

        using var submit = await client.PostAsync("v1/tasks", Json(PromptTask));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var accepted = await submit.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        Assert.Equal($"/v1/tasks/{id}", submit.Headers.Location!.OriginalString);

        using var timeout = new CancellationTokenSource(Deadline);
        using var events = await client.GetAsync($"v1/tasks/{id}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(timeout.Token));
        var first = await Sse.NextAsync(reader, timeout.Token);
        Assert.Equal("queued", first!.Value.Event);

        host.ReleasePicks();
        var rest = new List<(string Event, string Data)>();
        while (await Sse.NextAsync(reader, timeout.Token) is { } e)
        {
            rest.Add(e);
        }
        Assert.Equal(["assigned", "running", "completed"], rest.Select(e => e.Event));
        var completed = JsonDocument.Parse(rest[^1].Data).RootElement;
        Assert.Equal("image/png", completed.GetProperty("result").GetProperty("content_type").GetString());

        using var result = await client.GetAsync($"v1/tasks/{id}/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("image/png", result.Content.Headers.ContentType!.MediaType);
        Assert.Equal(GatewayHost.Png, await result.Content.ReadAsByteArrayAsync());

        var status = await client.GetFromJsonAsync<JsonElement>($"v1/tasks/{id}");
        Assert.Equal("completed", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_standbys_gateway_says_at_once_where_the_scheduler_runs()
    {
        const string Leader = "akka.ssl.tcp://cuckoo@10.0.0.1:4053";
        await using var host = await GatewayHost.StartAsync(options: new GatewayOptions { SchedulerTimeout = TimeSpan.FromSeconds(30) }, leaderElsewhere: Leader);
        using var client = host.Client();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => client.GetAsync("readyz"),
            () => client.PostAsync("v1/tasks", Json(PromptTask)),
            () => client.GetAsync("v1/tasks/some-task"),
            () => client.GetAsync("v1/tasks/some-task/events"),
        })
        {
            using var response = await request();
            var problem = await Problems.AssertAsync(response, HttpStatusCode.ServiceUnavailable, "scheduler_unavailable");
            Assert.Contains($"the leader coordinator {Leader}", problem);
        }
        // Not after a scheduler timeout each.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_given_id_is_kept_and_resubmitting_it_is_a_duplicate()
    {
        await using var host = await GatewayHost.StartAsync(complete: false);
        using var client = host.Client();
        var body = """{"model":"cuckoo-cppn","inputs":{"prompt":"x"},"id":"my-task.1"}""";
        using var first = await client.PostAsync("v1/tasks", Json(body));
        using var again = await client.PostAsync("v1/tasks", Json(body));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var dup = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("my-task.1", dup.GetProperty("id").GetString());
        Assert.True(dup.GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task The_result_before_completion_is_409_and_an_unknown_task_is_404()
    {
        await using var host = await GatewayHost.StartAsync(complete: false);
        using var client = host.Client();
        using var submit = await client.PostAsync("v1/tasks", Json(PromptTask));
        var id = (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        using var early = await client.GetAsync($"v1/tasks/{id}/result");
        await Problems.AssertAsync(early, HttpStatusCode.Conflict, "task_not_finished");

        foreach (var path in new[] { "v1/tasks/nope", "v1/tasks/nope/result", "v1/tasks/nope/events" })
        {
            using var unknown = await client.GetAsync(path);
            await Problems.AssertAsync(unknown, HttpStatusCode.NotFound, "task_not_found");
        }
    }

    [Fact]
    public async Task Another_apps_task_is_not_found()
    {
        await using var host = await GatewayHost.StartAsync(complete: false);
        using var client = host.Client();
        using var other = host.Client(host.OtherKey);
        using var submit = await client.PostAsync("v1/tasks", Json("""{"model":"cuckoo-cppn","inputs":{"prompt":"x"},"id":"shared"}"""));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);

        using var peek = await other.GetAsync("v1/tasks/shared");
        await Problems.AssertAsync(peek, HttpStatusCode.NotFound, "task_not_found");
        // The same id is the other app's own, not a conflict.
        using var own = await other.PostAsync("v1/tasks", Json("""{"model":"cuckoo-cppn","inputs":{"prompt":"y"},"id":"shared"}"""));
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
    }

    [Fact]
    public async Task A_full_queue_is_429_with_retry_after()
    {
        await using var host = await GatewayHost.StartAsync(new SchedulerSettings { MaxQueue = 1, RetryAfter = TimeSpan.FromSeconds(3) }, complete: false);
        using var client = host.Client();
        using var first = await client.PostAsync("v1/tasks", Json(PromptTask));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var second = await client.PostAsync("v1/tasks", Json(PromptTask));
        await Problems.AssertAsync(second, HttpStatusCode.TooManyRequests, "queue_full");
        Assert.Equal(TimeSpan.FromSeconds(3), second.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Without_a_valid_key_the_endpoints_answer_401_problems()
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var key in new string?[] { null, "ck_wrong" })
        {
            using var client = host.Client(key);
            using var submit = await client.PostAsync("v1/tasks", Json(PromptTask));
            await Problems.AssertAsync(submit, HttpStatusCode.Unauthorized, "invalid_api_key");
            Assert.Equal("Bearer", submit.Headers.WwwAuthenticate.Single().Scheme);
            using var models = await client.GetAsync("v1/models");
            Assert.Equal(HttpStatusCode.Unauthorized, models.StatusCode);
        }
    }

    [Theory]
    [InlineData("{\"model\":", "malformed_json")]
    [InlineData("[1,2]", "malformed_json")]
    [InlineData("{\"model\":\"cuckoo-cppn\",\"inputs\":{\"prompt\":5}}", "malformed_json")]
    [InlineData("{\"model\":\"nope\",\"inputs\":{\"prompt\":\"x\"}}", "model_not_found")]
    [InlineData("{\"model\":\"cuckoo-cppn\",\"inputs\":{\"image_base64\":\"AAAA\"}}", "invalid_request")]
    [InlineData("{\"model\":\"ppocr-v4-det\",\"inputs\":{\"prompt\":\"x\"}}", "invalid_request")]
    [InlineData("{\"model\":\"cuckoo-cppn\",\"inputs\":{\"prompt\":\"x\"},\"parameters\":{\"width\":5000}}", "invalid_request")]
    [InlineData("{\"model\":\"cuckoo-cppn\",\"inputs\":{\"prompt\":\"x\"},\"miners\":[\"0x12\"]}", "invalid_request")]
    [InlineData("{\"model\":\"cuckoo-cppn\",\"inputs\":{\"prompt\":\"x\"},\"id\":\"a/b\"}", "invalid_request")]
    public async Task A_bad_request_is_a_400_problem_without_internals(string body, string code)
    {
        await using var host = await GatewayHost.StartAsync();
        using var client = host.Client();
        using var response = await client.PostAsync("v1/tasks", Json(body));
        var text = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, code);
        Assert.DoesNotContain("Cuckoo.", text);
        Assert.DoesNotContain(" at ", text);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem()
    {
        await using var host = await GatewayHost.StartAsync(options: new GatewayOptions { MaxTaskBodyBytes = 1024 });
        using var client = host.Client();
        var body = $$$"""{"model":"cuckoo-cppn","inputs":{"prompt":"{{{new string('a', 2000)}}}"}}""";
        using var response = await client.PostAsync("v1/tasks", Json(body));
        await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task An_image_task_is_accepted_for_the_detection_model()
    {
        await using var host = await GatewayHost.StartAsync(complete: false);
        using var client = host.Client();
        var body = $$$"""{"model":"ppocr-v4-det","inputs":{"image_base64":"{{{Convert.ToBase64String(GatewayHost.Png)}}}"}}""";
        using var response = await client.PostAsync("v1/tasks", Json(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
