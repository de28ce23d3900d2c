using System.Text.Json;
using Cuckoo.Staking.Devnet;
using Xunit;
using static Cuckoo.Cli.Tests.StakerCliFixture;

namespace Cuckoo.Cli.Tests;

/// <summary>`cuckoo task submit | status | result` against the gateway on a real Kestrel and scheduler (<see cref="GatewayFixture"/>).</summary>
public sealed class TaskCommandTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Prompt = "a cuckoo in a pine forest";

    private string Gateway => gateway.Url.ToString();

    private string Out(string name) => Path.Combine(gateway.Temp, "out", Guid.NewGuid().ToString("N"), name);

    private static void OneSentence(CliRunResult r, int code, string command, string contains)
    {
        Assert.True(r.Code == code, r.ToString());
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.ToString());
        Assert.StartsWith($"cuckoo {command}: ", lines[0]);
        Assert.Contains(contains, lines[0]);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
    }

    private static string[] Lines(CliRunResult r) => r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Submit_follows_the_events_and_writes_the_miners_png_into_a_new_folder()
    {
        var file = Out("cuckoo.png");
        var r = await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--param", "width=64", "--param", "height=64",
            "--out", file, "--gateway", Gateway, "--api-key", gateway.Key);

        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal(GatewayFixture.Png, await File.ReadAllBytesAsync(file));
        var lines = Lines(r);
        Assert.StartsWith("task ", lines[0]);
        Assert.EndsWith($"submitted to {Gateway.TrimEnd('/')}", lines[0]);
        Assert.Equal("queued", lines[1]);
        // Whether "assigned" and "running" are seen depends on how soon the stream starts; each line is one state, in
        // order, never repeated.
        string[] between = [$"assigned to {GatewayFixture.Miner} (attempt 1)", $"running on {GatewayFixture.Miner} (attempt 1)"];
        Assert.Contains(string.Join('|', lines[2..^2]), new[] { "", between[0], between[1], string.Join('|', between) });
        Assert.Matches(@"^completed in \d+\.\d s$", lines[^2]);
        Assert.Equal($"wrote {file} ({GatewayFixture.Png.Length} bytes, image/png) from miner {GatewayFixture.Miner}, digest 0xd1", lines[^1]);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public async Task Submit_json_prints_one_object_and_the_environment_names_gateway_and_key()
    {
        var file = Out("env.png");
        try
        {
            Environment.SetEnvironmentVariable("CUCKOO_GATEWAY", gateway.Url.ToString().TrimEnd('/') + "/v1");
            Environment.SetEnvironmentVariable("CUCKOO_API_KEY", gateway.Key);
            var r = await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--out", file, "--json");
            Assert.True(r.Code == 0, r.ToString());
            var view = JsonDocument.Parse(r.Out).RootElement;
            Assert.Equal("completed", view.GetProperty("status").GetString());
            Assert.Equal(file, view.GetProperty("file").GetString());
            Assert.Equal(GatewayFixture.Png.Length, view.GetProperty("bytes").GetInt32());
            Assert.Equal("image/png", view.GetProperty("contentType").GetString());
            Assert.Equal(GatewayFixture.Miner.ToString(), view.GetProperty("miner").GetString());
            Assert.Equal(GatewayFixture.Png, await File.ReadAllBytesAsync(file));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CUCKOO_GATEWAY", null);
            Environment.SetEnvironmentVariable("CUCKOO_API_KEY", null);
        }
    }

    [Fact]
    public async Task A_wrong_key_is_the_gateways_401_in_one_sentence_exit_1()
    {
        var r = await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--out", Out("x.png"), "--gateway", Gateway, "--api-key", "ck_not-a-key", "--json");
        OneSentence(r, 1, "task submit", "the gateway answered 401 Unauthorized: A valid API key is needed");
        Assert.Contains("--api-key or CUCKOO_API_KEY", r.Err);
        Assert.Equal("invalid-api-key", JsonDocument.Parse(r.Out).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_missing_key_exits_2_before_anything_is_sent()
    {
        // No gateway listens on this port: an attempt to send would exit 3.
        var nowhere = $"http://127.0.0.1:{HardhatNode.FreePort()}";
        Environment.SetEnvironmentVariable("CUCKOO_API_KEY", null);
        OneSentence(await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--out", Out("x.png"), "--gateway", nowhere),
            2, "task submit", "no API key: pass --api-key KEY or set CUCKOO_API_KEY");
        OneSentence(await RunAsync("task", "status", "some-task", "--gateway", nowhere), 2, "task status", "no API key");
    }

    [Fact]
    public async Task An_unknown_model_is_the_gateways_detail()
    {
        var r = await RunAsync("task", "submit", "--model", "no-such-model", "--prompt", Prompt, "--out", Out("x.png"), "--gateway", Gateway, "--api-key", gateway.Key, "--json");
        OneSentence(r, 1, "task submit", "the gateway answered 400 Unknown model: model 'no-such-model' is not served here; known: cuckoo-cppn");
        Assert.Equal("model-not-found", JsonDocument.Parse(r.Out).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_body_over_the_gateways_limit_is_its_413()
    {
        var r = await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", new string('x', 5000), "--out", Out("x.png"), "--gateway", Gateway, "--api-key", gateway.Key);
        OneSentence(r, 1, "task submit", "the gateway answered 413 Body too large: the body is larger than 4096 bytes");
    }

    [Fact]
    public async Task No_gateway_at_the_url_is_one_sentence_exit_3()
    {
        var nowhere = $"http://127.0.0.1:{HardhatNode.FreePort()}";
        OneSentence(await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--out", Out("x.png"), "--gateway", nowhere, "--api-key", gateway.Key),
            3, "task submit", $"no gateway at {nowhere}: is the coordinator running? (./build.sh up)");
        OneSentence(await RunAsync("task", "result", "t1", "--out", Out("x.png"), "--gateway", nowhere, "--api-key", gateway.Key), 3, "task result", $"no gateway at {nowhere}");
    }

    [Fact]
    public async Task A_failed_task_prints_its_reason_and_exits_1_without_writing()
    {
        var file = Out("x.png");
        var r = await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", $"{GatewayFixture.FailWord} now", "--out", file, "--gateway", Gateway, "--api-key", gateway.Key);
        OneSentence(r, 1, "task submit", $"failed: 1 attempts failed; the last: miner {GatewayFixture.Miner} failed attempt 1: {GatewayFixture.FailReason}");
        Assert.Matches(@"^cuckoo task submit: task [0-9a-f]{32} failed: ", r.Err);
        Assert.StartsWith("failed: ", Lines(r)[^1]);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Status_and_result_of_a_completed_task_and_a_resubmitted_id_follows_the_same_task()
    {
        var first = Out("a.png");
        var submit = await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--id", "done-1", "--out", first, "--gateway", Gateway, "--api-key", gateway.Key);
        Assert.True(submit.Code == 0, submit.ToString());

        var status = await RunAsync("task", "status", "done-1", "--gateway", Gateway, "--api-key", gateway.Key);
        Assert.True(status.Code == 0, status.ToString());
        Assert.Equal($"task done-1: completed by {GatewayFixture.Miner} (attempt 1); result {GatewayFixture.Png.Length} bytes image/png, digest 0xd1: `cuckoo task result done-1 --out FILE`", status.Out.Trim());

        var json = await RunAsync("task", "status", "done-1", "--gateway", Gateway, "--api-key", gateway.Key, "--json");
        Assert.Equal("completed", JsonDocument.Parse(json.Out).RootElement.GetProperty("status").GetString());

        var second = Out("b.png");
        var result = await RunAsync("task", "result", "done-1", "--out", second, "--gateway", Gateway, "--api-key", gateway.Key);
        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal(GatewayFixture.Png, await File.ReadAllBytesAsync(second));
        Assert.StartsWith($"wrote {second} ({GatewayFixture.Png.Length} bytes, image/png)", result.Out);

        var again = await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--id", "done-1", "--out", Out("c.png"), "--gateway", Gateway, "--api-key", gateway.Key);
        Assert.True(again.Code == 0, again.ToString());
        Assert.Contains("task done-1 was submitted before; following it", again.Out);

        OneSentence(await RunAsync("task", "status", "never-submitted", "--gateway", Gateway, "--api-key", gateway.Key), 1, "task status",
            "the gateway answered 404 Unknown task: no task never-submitted of this app is known");
    }

    [Fact]
    public async Task A_task_past_the_timeout_goes_on_and_its_apps_quota_is_the_gateways_429()
    {
        string[] slow = ["--gateway", Gateway, "--api-key", gateway.SlowKey];
        var r = await RunAsync(["task", "submit", "--model", "cuckoo-cppn", "--prompt", $"{GatewayFixture.HoldWord} and ever", "--id", "held-1", "--out", Out("x.png"), "--timeout", "1s", .. slow]);
        OneSentence(r, 1, "task submit", "task held-1 did not finish within 1 s; it goes on at the gateway: `cuckoo task status held-1`");

        var status = await RunAsync(["task", "status", "held-1", .. slow]);
        Assert.Equal($"task held-1: running on {GatewayFixture.Miner} (attempt 1)", status.Out.Trim());
        OneSentence(await RunAsync(["task", "result", "held-1", "--out", Out("x.png"), .. slow]), 1, "task result", "the gateway answered 409 Task not finished: task held-1 is running");

        // The quota of "slow" is one unfinished task.
        var over = await RunAsync(["task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--out", Out("x.png"), .. slow]);
        OneSentence(over, 1, "task submit", "the gateway answered 429 Quota exceeded: ");
        Assert.EndsWith("; try again in 1 s", over.Err.Trim());
    }

    [Theory]
    [InlineData("--param", "width")]
    [InlineData("--param", "=64")]
    [InlineData("--miner", "0x1234")]
    [InlineData("--timeout", "soon")]
    [InlineData("--timeout", "0s")]
    [InlineData("--id", "not an id")]
    [InlineData("--image", "/no/such/image.png")]
    [InlineData("--gateway", "ftp://127.0.0.1:8080")]
    [InlineData("--gateway", "http://192.0.2.1:8080")]
    public async Task Bad_arguments_exit_2_before_anything_is_sent(string option, string value)
    {
        // No gateway listens there: an attempt to send would exit 3.
        string[] gatewayOption = option == "--gateway" ? [] : ["--gateway", $"http://127.0.0.1:{HardhatNode.FreePort()}"];
        var r = await RunAsync(["task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--out", Out("x.png"), "--api-key", gateway.Key, .. gatewayOption, option, value]);
        OneSentence(r, 2, "task submit", option == "--image" ? "not both" : option);
    }

    [Fact]
    public async Task An_out_path_that_is_a_folder_or_a_repeated_param_exits_2()
    {
        var nowhere = $"http://127.0.0.1:{HardhatNode.FreePort()}";
        OneSentence(await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--out", gateway.Temp, "--gateway", nowhere, "--api-key", gateway.Key),
            2, "task submit", "is a folder");
        OneSentence(await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--prompt", Prompt, "--out", Out("x.png"), "--param", "seed=1", "--param", "seed=2", "--gateway", nowhere, "--api-key", gateway.Key),
            2, "task submit", "--param seed is given twice");
        OneSentence(await RunAsync("task", "submit", "--model", "cuckoo-cppn", "--out", Out("x.png"), "--gateway", nowhere, "--api-key", gateway.Key),
            2, "task submit", "an input is required");
    }
}
