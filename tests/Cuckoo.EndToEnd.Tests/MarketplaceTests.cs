using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Cuckoo.Chain;
using Cuckoo.Cluster.Work;
using Cuckoo.Inference.Imaging;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>
/// The marketplace end to end: real `cuckoo` processes (a coordinator with its gateway, miners running ONNX Runtime on
/// the CPU) on a real Hardhat chain; an app's prompt becomes a PNG, whatever is killed along the way.
/// </summary>
[Collection("cluster")]
public sealed class MarketplaceTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);

    private static Address CoordinatorAddress => DevAccounts.ByRole("coordinator").Address;

    private static Address Miner1 => DevAccounts.ByRole("miner-1").Address;

    private static Address Miner2 => DevAccounts.ByRole("miner-2").Address;

    [Fact]
    public async Task Prompt_becomes_a_signed_png_through_the_native_api_and_bad_requests_get_problem_details()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        nodes.StartMiner("miner-1", "miner-1");
        nodes.StartMiner("miner-2", "miner-2");
        nodes.StartMiner("miner-3", fixture.Miner3);
        using var app = coordinator.Client();
        await app.WaitForMinersAsync(3, Nodes.StartTimeout);

        var (status, _, _) = await app.SubmitAsync("native-1", "a cuckoo in a pine forest at dawn");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var events = await app.EventsAsync("native-1", TaskTimeout);
        Assert.Equal("completed", events[^1].Event);
        // Each step is one the scheduler makes: queued → assigned → running → completed, and back to queued when an
        // attempt is taken from its miner (on a loaded machine a miner can miss its heartbeats long enough to count as
        // lost). The stream starts with the state the task is in by then, and a 64x64 image may be done before it opens;
        // a stream that saw the task before its model began it must show when the model did. The gateway's
        // TaskEndpointTests hold the miner to see every state each time.
        var names = events.Select(e => e.Event).ToArray();
        output.WriteLine($"events: {string.Join(", ", names)}");
        output.WriteLine(string.Join('\n', coordinator.Process.Lines.Where(l => l.Contains("native-1", StringComparison.Ordinal))));
        (string, string)[] steps = [("queued", "assigned"), ("assigned", "running"), ("assigned", "completed"), ("running", "completed"), ("assigned", "queued"), ("running", "queued")];
        Assert.All(names.Zip(names.Skip(1)), step => Assert.Contains(step, steps));
        if (names[0] is "queued" or "assigned")
        {
            Assert.Contains("running", names);
        }
        var done = events[^1].Data;

        var png = await app.ResultAsync("native-1");
        var image = PngCodec.Decode(png);
        Assert.Equal((64, 64), (image.Width, image.Height));
        var result = done.GetProperty("result");
        var miner = Address.Parse(result.GetProperty("miner").GetString()!);
        Assert.Contains(miner, new[] { Miner1, Miner2, fixture.Miner3.Address });
        // The miner's EIP-712 Result signature, as the contract checks it, over the scheduler's (app-scoped) task id.
        Assert.True(WorkTask.VerifyResult(
            new StakingTypedData(fixture.Deployment.ChainId, fixture.Staking.Address), CoordinatorAddress, "e2e/native-1", "cuckoo-cppn",
            Encoding.UTF8.GetBytes("a cuckoo in a pine forest at dawn"), result.GetProperty("output_digest").GetString()!, result.GetProperty("signature").GetString()!, miner));

        // The official OpenAI SDK (the openai npm package) against the same gateway, only the base URL changed; n = 2 fans out.
        var sdk = await OpenAiSdkAsync(coordinator, "--model", "cuckoo-cppn", "--prompt", "a cuckoo drawn by the openai sdk", "--n", "2", "--size", "64x64", "--response-format", "b64_json");
        Assert.Equal(2, sdk.GetProperty("count").GetInt32());
        foreach (var file in sdk.GetProperty("files").EnumerateArray())
        {
            var generated = PngCodec.Decode(await File.ReadAllBytesAsync(file.GetString()!));
            Assert.Equal((64, 64), (generated.Width, generated.Height));
        }
        var byUrl = await OpenAiSdkAsync(coordinator, "--model", "cuckoo-cppn", "--prompt", "a cuckoo by url", "--response-format", "url", "--size", "64x64");
        Assert.Equal(1, byUrl.GetProperty("count").GetInt32());

        // Bad requests: each a problem document, none a stack trace, the node still serving.
        using (var noKey = await app.SendAsync(HttpMethod.Post, "/v1/tasks", """{"model": "cuckoo-cppn", "inputs": {"prompt": "x"}}""", key: ""))
        {
            await AssertProblemAsync(noKey, HttpStatusCode.Unauthorized);
        }
        using (var wrongKey = await app.SendAsync(HttpMethod.Get, "/v1/tasks/native-1", key: "ck_not-a-key"))
        {
            await AssertProblemAsync(wrongKey, HttpStatusCode.Unauthorized);
        }
        using (var malformed = await app.SendAsync(HttpMethod.Post, "/v1/tasks", """{"model": "cuckoo-cppn", "inputs": """))
        {
            await AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
        }
        using (var unknown = await app.SendAsync(HttpMethod.Post, "/v1/tasks", """{"model": "no-such-model", "inputs": {"prompt": "x"}}"""))
        {
            Assert.Contains("model_not_found", await AssertProblemAsync(unknown, HttpStatusCode.BadRequest));
        }
        // Over every limit; sent as careful clients do (Expect: 100-continue), so the 413 comes before the body and is read.
        var huge = "{\"model\": \"cuckoo-cppn\", \"inputs\": {\"prompt\": \"" + new string('a', 3 << 20) + "\"}}";
        using (var oversized = await app.SendAsync(HttpMethod.Post, "/v1/tasks", huge, expectContinue: true))
        {
            await AssertProblemAsync(oversized, HttpStatusCode.RequestEntityTooLarge);
        }
        using (var missing = await app.SendAsync(HttpMethod.Get, "/v1/tasks/never-submitted"))
        {
            await AssertProblemAsync(missing, HttpStatusCode.NotFound);
        }
        using var health = await app.SendAsync(HttpMethod.Get, "/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Miner_killed_with_a_task_the_task_completes_on_another()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        var first = nodes.StartMiner("miner-1", "miner-1");
        using var app = coordinator.Client();
        await app.WaitForMinersAsync(1, Nodes.StartTimeout);

        // Frozen, miner-1 still looks fine to the cluster for a few seconds: it takes the task and never answers.
        first.Freeze();
        Assert.Equal(HttpStatusCode.Accepted, (await app.SubmitAsync("orphan-1", "a task whose miner dies")).Status);
        var assigned = await WaitForAsync(app, "orphan-1", s => s.GetProperty("status").GetString() is "assigned" or "running", TimeSpan.FromSeconds(30));
        Assert.Equal(Miner1.ToString(), assigned.GetProperty("miner").GetString(), ignoreCase: true);
        nodes.StartMiner("miner-2", "miner-2");
        await app.WaitForMinersAsync(1, Nodes.StartTimeout, among: [Miner2]);
        var clock = Stopwatch.StartNew();
        first.Kill();

        var done = await app.WaitFinalAsync("orphan-1", TaskTimeout);
        Timings.Record("marketplace.dead_miner_to_completed_elsewhere", clock.Elapsed.TotalSeconds);
        output.WriteLine($"SIGKILL of the assigned miner to completed on another: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(Miner2.ToString(), done.GetProperty("miner").GetString(), ignoreCase: true);
        Assert.True(done.GetProperty("attempt").GetInt32() >= 2);
    }

    [Fact]
    public async Task Coordinator_killed_and_restarted_under_load_loses_no_accepted_task_and_delivers_each_result_once()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator();
        await coordinator.UpAsync();
        nodes.StartMiner("miner-1", "miner-1");
        nodes.StartMiner("miner-2", "miner-2");
        using var app = coordinator.Client();
        await app.WaitForMinersAsync(2, Nodes.StartTimeout);

        const int count = 30;
        var ids = Enumerable.Range(0, count).Select(i => $"load-{i}").ToList();
        var accepted = new HashSet<string>();
        // 512×512 takes a CPU miner a few hundred ms: the kill lands with tasks queued, running and finished.
        foreach (var id in ids.Take(count / 2))
        {
            if ((await app.SubmitAsync(id, $"prompt {id}", size: 512)).Status == HttpStatusCode.Accepted)
            {
                accepted.Add(id);
            }
        }
        coordinator.Process.Kill();
        await coordinator.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var restarted = nodes.StartCoordinator(dataDir: coordinator.DataDirectory, clusterPort: coordinator.ClusterPort);
        await restarted.UpAsync();
        using var again = restarted.Client();
        // The rest, and any submission the kill cut off, again under the same id: submitting is idempotent.
        foreach (var id in ids.Where(i => !accepted.Contains(i)))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                try
                {
                    var (status, _, response) = await again.SubmitAsync(id, $"prompt {id}", size: 512);
                    response.Dispose();
                    if (status == HttpStatusCode.Accepted)
                    {
                        accepted.Add(id);
                        break;
                    }
                    Assert.True(status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"submit {id}: {status}");
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    // The gateway is not listening yet: the app retries, as it would.
                }
                Assert.True(DateTime.UtcNow < deadline, $"{id} was not accepted within 60 s of the restart");
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
        Assert.Equal(count, accepted.Count);

        var results = new Dictionary<string, (string Miner, int Attempt, string Digest)>();
        foreach (var id in ids)
        {
            var done = await again.WaitFinalAsync(id, TaskTimeout);
            Assert.True(done.GetProperty("status").GetString() == "completed", $"{id}: {done}");
            var r = done.GetProperty("result");
            results[id] = (r.GetProperty("miner").GetString()!, r.GetProperty("attempt").GetInt32(), r.GetProperty("output_digest").GetString()!);
        }
        // Exactly once: the recorded result of each task stays the one the app first saw, whatever miners resend.
        foreach (var id in ids)
        {
            var r = (await again.StatusAsync(id)).GetProperty("result");
            Assert.Equal(results[id], (r.GetProperty("miner").GetString()!, r.GetProperty("attempt").GetInt32(), r.GetProperty("output_digest").GetString()!));
            var events = await again.EventsAsync(id, TimeSpan.FromSeconds(10));
            Assert.Single(events, e => e.Event == "completed");
        }
        var recovered = restarted.Process.Lines.FirstOrDefault(l => l.Contains(" live tasks (", StringComparison.Ordinal));
        output.WriteLine($"restart: {recovered}");
        Assert.NotNull(recovered);
    }

    [Fact]
    public async Task Overload_is_answered_with_429_and_retry_after_and_nothing_accepted_is_dropped()
    {
        await using var nodes = new Nodes(fixture);
        var coordinator = nodes.StartCoordinator(environment: new Dictionary<string, string> { ["CUCKOO__CUCKOO__SCHEDULER__MAX_QUEUE"] = "3" });
        await coordinator.UpAsync();
        using var app = coordinator.Client();

        // No miner yet: the queue only fills.
        var statuses = new List<HttpStatusCode>();
        var refusals = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            var (status, _, response) = await app.SubmitAsync($"burst-{i}", $"burst {i}");
            statuses.Add(status);
            if (status == HttpStatusCode.TooManyRequests)
            {
                refusals.Add(response);
            }
        }
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(2, refusals.Count);
        foreach (var refusal in refusals)
        {
            Assert.NotNull(refusal.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refusal.Content.Headers.ContentType?.MediaType);
        }

        nodes.StartMiner("miner-1", "miner-1");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("completed", (await app.WaitFinalAsync($"burst-{i}", Nodes.StartTimeout + TaskTimeout)).GetProperty("status").GetString());
        }
    }

    /// <summary>Runs tests/Cuckoo.EndToEnd.Tests/openai/generate.mjs (OpenAI's SDK) against the coordinator's gateway; its JSON line.</summary>
    private async Task<JsonElement> OpenAiSdkAsync(CoordinatorHandle coordinator, params string[] args)
    {
        var root = DevnetSettings.FindRoot(AppContext.BaseDirectory);
        var folder = Path.Combine(root, "tests", "Cuckoo.EndToEnd.Tests", "openai");
        var outDir = Directory.CreateTempSubdirectory("cuckoo-e2e-openai-").FullName;
        var psi = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["generate.mjs", .. args, "--out", outDir])
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["CUCKOO_BASE_URL"] = new Uri(coordinator.Gateway, "/v1").ToString();
        psi.Environment["CUCKOO_API_KEY"] = coordinator.ApiKey;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TaskTimeout);
        await process.WaitForExitAsync(cts.Token);
        output.WriteLine($"openai sdk {string.Join(' ', args)}: {await stdout} {await stderr}");
        Assert.True(process.ExitCode == 0, $"the OpenAI SDK script failed ({process.ExitCode}): {await stdout} {await stderr}");
        return JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]).RootElement.Clone();
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        Assert.True(doc.RootElement.TryGetProperty("title", out _));
        Assert.DoesNotContain("   at ", body);
        return body;
    }

    private static async Task<JsonElement> WaitForAsync(GatewayClient app, string id, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await app.StatusAsync(id);
            if (condition(last))
            {
                return last;
            }
            // The gateway's status is the only source of the condition: ask again shortly.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        throw new Xunit.Sdk.XunitException($"task {id}: condition not met within {timeout}; last {last}");
    }
}
