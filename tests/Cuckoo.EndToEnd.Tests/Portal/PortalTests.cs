using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.EndToEnd.Tests.Portal;

/// <summary>
/// The portal in a real browser against a real coordinator, chain and miners: what the page shows is what the chain
/// and the scheduler say, and what the page does lands on chain.
/// </summary>
[Collection("portal")]
public sealed class PortalTests(PortalFixture fixture)
{
    private static readonly Address Coordinator = DevAccounts.ByRole("coordinator").Address;

    private static readonly Address Miner1 = DevAccounts.ByRole("miner-1").Address;

    private static readonly Address Miner2 = DevAccounts.ByRole("miner-2").Address;

    private CuckooStakingClient Staking => fixture.Cluster.Staking;

    private static string Row(Address candidate) => $"#network-table tr[data-address='{candidate}']";

    [Fact]
    public async Task Portal_network_table_lists_the_demo_miners_and_coordinator_with_the_weights_on_chain()
    {
        var page = await fixture.NewPageAsync();
        foreach (var candidate in new[] { Coordinator, Miner1, Miner2, fixture.Cluster.Miner3.Address })
        {
            var row = page.Locator(Row(candidate));
            await Expect(row).ToBeVisibleAsync();
            // Read after the row shows: the page polls, so it may lag the chain by one poll, never by more.
            await Expect(row).ToHaveAttributeAsync("data-weight-wei", (await Staking.WeightOfAsync(candidate)).ToString());
            await Expect(row.Locator("td[data-label=Status]")).ToHaveTextAsync("active");
        }
        await Expect(page.Locator(Row(Coordinator)).Locator("td[data-label=Kind]")).ToHaveTextAsync("coordinator");

        // Filtering by kind leaves only miners; sorting by weight puts the heaviest first.
        await page.SelectOptionAsync("#network-kind", "miner");
        await Expect(page.Locator(Row(Coordinator))).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#network-kind", "");
        var weights = await page.Locator("#network-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.weightWei)");
        Assert.Equal(weights.OrderByDescending(BigInteger.Parse), weights);
        await fixture.ScreenshotAsync(page, "network");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Portal_stake_then_vote_from_the_page_changes_the_weight_shown_and_on_chain()
    {
        var voter = DevAccounts.ByRole("voter-1");
        var wallet = new TestWallet(fixture.Cluster.Chain, voter.Key, fixture.Cluster.Deployment.ChainId);
        var page = await fixture.NewPageAsync(wallet: wallet);
        await page.ClickAsync("#connect-wallet");
        await Expect(page.Locator("#connected")).ToContainTextAsync(voter.Address.ToString());
        var before = await Staking.WeightOfAsync(Miner1);
        var stakeBefore = await Staking.StakeOfAsync(voter.Address);

        await page.FillAsync("#stake-amount", "150");
        await page.ClickAsync("#do-stake");
        await Expect(page.Locator("#action-status p").First).ToHaveClassAsync("confirmed", new() { Timeout = 60_000 });
        Assert.Equal(stakeBefore + Cai.Tokens(150), await Staking.StakeOfAsync(voter.Address));

        await page.SelectOptionAsync("#vote-candidate", Miner1.ToString());
        await page.FillAsync("#vote-amount", "120");
        await page.ClickAsync("#do-vote");
        await Expect(page.Locator("#action-status p").First).ToHaveClassAsync("confirmed", new() { Timeout = 60_000 });

        var after = await Staking.WeightOfAsync(Miner1);
        Assert.Equal(before + Cai.Tokens(120), after);
        await Expect(page.Locator(Row(Miner1))).ToHaveAttributeAsync("data-weight-wei", after.ToString());
        await Expect(page.Locator($"#me-votes tr[data-candidate='{Miner1}']")).ToHaveAttributeAsync("data-value-wei", Cai.Tokens(120).ToString());
        Assert.Contains("eth_sendTransaction", wallet.Calls);
        await fixture.ScreenshotAsync(page, "stake-and-vote");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Portal_unvote_more_than_voted_shows_the_contract_error_in_words()
    {
        // The page's own development key (the devnet's voter-2), signing through the same-origin relay: no wallet at all.
        var page = await fixture.NewPageAsync();
        var voter = DevAccounts.ByRole("voter-2");
        await page.SelectOptionAsync("#dev-account", new SelectOptionValue { Label = $"voter-2 {voter.Address}" });
        await page.ClickAsync("#use-dev-key");
        await Expect(page.Locator("#connected")).ToContainTextAsync(voter.Address.ToString());

        await page.SelectOptionAsync("#unvote-candidate", Miner2.ToString());
        await page.FillAsync("#unvote-amount", "5");
        await page.ClickAsync("#do-unvote");
        var status = page.Locator("#action-status p").First;
        await Expect(status).ToHaveClassAsync("error");
        await Expect(status).ToContainTextAsync("InsufficientVotes: Not enough votes: you have 0 CAI voted for this candidate and asked to unvote 5 CAI.");

        // Input the page can refuse by itself never reaches the chain.
        await page.FillAsync("#stake-amount", "lots");
        await page.ClickAsync("#do-stake");
        await Expect(status).ToContainTextAsync("is not an amount");
        await page.FillAsync("#stake-amount", "100000000");
        await page.ClickAsync("#do-stake");
        await Expect(status).ToContainTextAsync("Insufficient balance");
        await fixture.ScreenshotAsync(page, "contract-error");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Portal_task_submitted_through_the_api_appears_live_and_its_image_shows_in_the_gallery()
    {
        var page = await fixture.NewPageAsync();
        await Expect(page.Locator("#work-live")).ToContainTextAsync("Live");
        using var app = fixture.Coordinator.Client();
        var (status, _, response) = await app.SubmitAsync("portal-live-1", "a cuckoo watched from a browser");
        response.Dispose();
        Assert.Equal(HttpStatusCode.Accepted, status);

        var row = page.Locator("#task-table tr[data-task='e2e/portal-live-1']");
        await Expect(row).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 90_000 });
        var image = page.Locator("#gallery li[data-task='e2e/portal-live-1'] img");
        await Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth === 64", await image.ElementHandleAsync());
        Assert.NotEqual("0", await page.TextContentAsync("#count-completed"));
        await Expect(page.Locator("#latency")).ToContainTextAsync("p50");
        await Expect(page.Locator("#fairness .bar-row")).Not.ToHaveCountAsync(0);
        // The cluster view shows the coordinator and both miners Up, with their models.
        await Expect(page.Locator("#cluster-table tr[data-status=Up]")).ToHaveCountAsync(3);
        await Expect(page.Locator("#cluster-table")).ToContainTextAsync("cuckoo-cppn");
        await fixture.ScreenshotAsync(page, "work");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Portal_on_a_phone_sized_viewport_shows_the_tables_without_sideways_scrolling()
    {
        var page = await fixture.NewPageAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2,
        });
        await Expect(page.Locator(Row(Miner1))).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "phone");
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        var wide = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391).slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className)");
        Assert.True(width <= 390, $"the page is {width} px wide on a 390 px screen; too wide: {string.Join(", ", wide)}");
        // Each row is a card whose cells carry their column's name, in type large enough to read.
        var cell = page.Locator(Row(Miner1)).Locator("td[data-label=Weight]");
        var box = await cell.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"the weight cell spans {box.X}..{box.X + box.Width}");
        var label = await cell.EvaluateAsync<string>("td => getComputedStyle(td, '::before').content");
        Assert.Equal("\"Weight\"", label);
        var fontSize = await cell.EvaluateAsync<double>("td => parseFloat(getComputedStyle(td).fontSize)");
        Assert.True(fontSize >= 14, $"cells are set in {fontSize} px");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Portal_keyboard_navigation_reaches_the_actions_and_every_field_has_a_label()
    {
        var page = await fixture.NewPageAsync();
        var reached = new List<string>();
        for (var i = 0; i < 200 && !reached.Contains("do-claim"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("document.activeElement?.id || document.activeElement?.textContent?.trim() || ''"));
        }
        foreach (var id in new[] { "connect-wallet", "network-filter", "stake-amount", "do-stake", "vote-candidate", "do-vote", "do-unvote", "do-withdraw", "do-claim" })
        {
            Assert.Contains(id, reached);
        }
        var unlabelled = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input, select')].filter(e => !e.labels || e.labels.length === 0).map(e => e.id)");
        Assert.Empty(unlabelled);
        await page.Keyboard.PressAsync("Shift+Tab");
        await fixture.ScreenshotAsync(page, "keyboard");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Portal_relay_and_api_refuse_bad_input_with_clear_errors()
    {
        using var http = new HttpClient { BaseAddress = fixture.Coordinator.Gateway };
        using var index = await http.GetAsync("/portal/");
        Assert.True(index.IsSuccessStatusCode, $"/portal/: {index.StatusCode} {await index.Content.ReadAsStringAsync()}\n{string.Join("\n", fixture.Coordinator.Process.Lines.TakeLast(40))}");
        Assert.Contains("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single());
        using var admin = await http.PostAsync("/portal/rpc", new StringContent("""{"jsonrpc":"2.0","id":7,"method":"hardhat_setBalance","params":[]}""", Encoding.UTF8, "application/json"));
        var refused = JsonDocument.Parse(await admin.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(-32601, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(7, refused.GetProperty("id").GetInt32());

        using var chainId = await http.PostAsync("/portal/rpc", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""", Encoding.UTF8, "application/json"));
        Assert.Equal("0x7a69", JsonDocument.Parse(await chainId.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetString());

        using var me = await http.GetAsync("/portal/api/me/not-an-address");
        Assert.Equal(HttpStatusCode.BadRequest, me.StatusCode);
        Assert.Equal("application/problem+json", me.Content.Headers.ContentType?.MediaType);

        using var traversal = await http.GetAsync("/portal/..%2F..%2Fappsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);

        // The development keys are handed out on the devnet only (chain 31337, this one).
        using var config = await http.GetAsync("/portal/api/config");
        var dev = JsonDocument.Parse(await config.Content.ReadAsStringAsync()).RootElement.GetProperty("dev_accounts");
        Assert.Contains(dev.EnumerateArray(), a => a.GetProperty("role").GetString() == "voter-1");
    }
}
