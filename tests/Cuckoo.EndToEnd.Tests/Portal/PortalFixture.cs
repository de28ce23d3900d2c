using System.Diagnostics;
using Cuckoo.Staking.Devnet;
using Microsoft.Playwright;
using Xunit;

namespace Cuckoo.EndToEnd.Tests.Portal;

/// <summary>
/// One chain, one coordinator with its gateway and portal, the two demo miners and one headless Debian chromium,
/// shared by every portal test (the suite stays within a few minutes on two cores). The browser is the system's
/// <c>/usr/bin/chromium</c>, launched through Playwright's <c>ExecutablePath</c>: no browser is ever downloaded.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private Nodes? _nodes;
    private IPlaywright? _playwright;
    private bool _clusterStarted;

    public ClusterFixture Cluster { get; } = new();

    public CoordinatorHandle Coordinator { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri PortalUrl => new(Coordinator.Gateway, "/portal/");

    /// <summary>Screenshots: CUCKOO_PORTAL_ARTIFACTS, else artifacts/portal in the checkout (git-ignored).</summary>
    public string Artifacts { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var root = DevnetSettings.FindRoot(AppContext.BaseDirectory);
        Artifacts = Environment.GetEnvironmentVariable("CUCKOO_PORTAL_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(root, "artifacts", "portal");
        Directory.CreateDirectory(Artifacts);
        await EnsureBundleAsync(root);
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./build.sh setup installs Debian's chromium");

        _clusterStarted = true;
        await Cluster.InitializeAsync();
        _nodes = new Nodes(Cluster);
        Coordinator = _nodes.StartCoordinator();
        await Coordinator.UpAsync();
        _nodes.StartMiner("miner-1", "miner-1");
        _nodes.StartMiner("miner-2", "miner-2");
        using (var app = Coordinator.Client())
        {
            await app.WaitForMinersAsync(2, Nodes.StartTimeout);
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh context (its own storage) and page; the viewport defaults to a laptop's.</summary>
    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null, TestWallet? wallet = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        if (wallet is not null)
        {
            await wallet.InjectAsync(page);
        }
        await page.GotoAsync(PortalUrl.ToString());
        await page.WaitForSelectorAsync("body[data-ready=true]");
        return page;
    }

    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    /// <summary>Builds portal/dist when setup has installed its packages but the bundle is missing (a fresh build folder).</summary>
    private static async Task EnsureBundleAsync(string root)
    {
        var portal = Path.Combine(root, "portal");
        if (File.Exists(Path.Combine(portal, "dist", "index.html")))
        {
            return;
        }
        Assert.True(Directory.Exists(Path.Combine(portal, "node_modules")), "portal/node_modules is missing: run ./build.sh setup");
        using var build = Process.Start(new ProcessStartInfo("node", ["build.mjs"]) { WorkingDirectory = portal, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        Assert.True(build.ExitCode == 0, $"the portal bundle did not build: {await error}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
        if (_clusterStarted && Cluster.Node is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition("portal")]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>;
