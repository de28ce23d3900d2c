using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Cuckoo.Coordinator.Admin;
using Cuckoo.Coordinator.Node;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Gateway.Portal;

/// <summary>
/// The portal for stakers and operators under <c>/portal/</c> on the gateway listener: the built page, its JSON (network,
/// cluster, work, one account) and server-sent events of the work, and the same-origin chain relay. No API key: it shows
/// what the chain shows anyway and what this coordinator does; the gateway listener is loopback unless the operator opens it.
/// </summary>
public static class PortalEndpoints
{
    public const string Path = "/portal/";

    /// <summary>Needs in DI: <see cref="CoordinatorNodeSettings"/>, <see cref="ChainClientFor"/>'s chain client, the actor system, the admitted miners and the gateway scheduler.</summary>
    public static IServiceCollection AddPortal(this IServiceCollection services, CoordinatorNodeSettings settings, PortalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        var portal = options ?? new PortalOptions();
        services.AddSingleton(portal);
        services.AddSingleton(new PortalFiles(PortalFiles.Find(portal.StaticRoot)));
        services.AddSingleton(new WorkBoard(portal));
        services.AddSingleton(sp => new CuckooStakingClient(ChainClientFor(sp), settings.Staking));
        services.AddSingleton(sp => new NetworkSource(sp.GetRequiredService<CuckooStakingClient>(), settings.StartBlock, portal, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PortalChain(sp.GetRequiredService<CuckooStakingClient>()));
        services.AddSingleton(sp => new StakerSource(sp.GetRequiredService<PortalChain>(), sp.GetRequiredService<NetworkSource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ClusterSource(
            sp.GetRequiredService<ActorSystem>(), sp.GetRequiredService<IAdmittedMiners>(), sp.GetRequiredService<GatewayScheduler>(),
            sp.GetRequiredService<GatewayOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new ChainRelay(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, settings.RpcUrl, portal));
        return services;
    }

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/portal").WithTags("portal").ExcludeFromDescription();
        group.MapGet("/api/config", (CoordinatorNodeSettings settings, PortalChain chain, CancellationToken cancellationToken) => ConfigAsync(settings, chain, cancellationToken));
        group.MapGet("/api/network", (bool? fresh, NetworkSource network, CancellationToken cancellationToken) => NetworkAsync(fresh, network, cancellationToken));
        group.MapGet("/api/cluster", async (ClusterSource cluster, CancellationToken cancellationToken) =>
            Results.Json(await cluster.GetAsync(cancellationToken), GatewayProblems.Json));
        group.MapGet("/api/me/{address}", (string address, StakerSource stakers, CancellationToken cancellationToken) => MeAsync(address, stakers, cancellationToken));
        group.MapGet("/api/work", (WorkBoard board) => Results.Json(board.Snapshot(), GatewayProblems.Json));
        group.MapGet("/api/work/events", (HttpContext http, WorkBoard board, PortalOptions options) => WorkStreamAsync(http, board, options));
        group.MapGet("/api/images/{seq}", (string seq, WorkBoard board) => Image(seq, board));
        group.MapPost("/rpc", (HttpContext http, ChainRelay relay) => relay.RelayAsync(http));
        // Also /portal and /portal/ themselves (no path: the page); routing treats the trailing slash as the same route.
        group.MapGet("/{**path}", (string? path, PortalFiles files, HttpContext http) => files.Serve(path, http));

        // The watcher starts with the node: the work view then covers the tasks from the start, not from the first page load.
        var services = endpoints.ServiceProvider;
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
        {
            var system = services.GetRequiredService<ActorSystem>();
            var leader = services.GetRequiredService<ActorRegistry>().Get<LeaderHost>();
            var options = services.GetRequiredService<PortalOptions>();
            system.ActorOf(WorkWatcher.Props(leader, services.GetRequiredService<WorkBoard>(), options.RewatchEvery), "portal-work-watcher");
        });
        return endpoints;
    }

    /// <summary>The node's own chain client when it registered one, else one for the settings' RPC URL.</summary>
    private static Chain.ChainClient ChainClientFor(IServiceProvider services) =>
        services.GetService<Chain.ChainClient>() ?? new Chain.ChainClient(services.GetRequiredService<CoordinatorNodeSettings>().RpcUrl);

    private static async Task<IResult> ConfigAsync(CoordinatorNodeSettings settings, PortalChain chain, CancellationToken cancellationToken)
    {
        return await ChainAsync(async () =>
        {
            var (token, epoch, unbonding) = await chain.ParametersAsync(cancellationToken);
            // The well-known Hardhat keys are handed out only for Hardhat's chain id: on any other chain they would be someone's real money.
            IReadOnlyList<DevAccountView> dev = settings.ChainId == DevAccounts.HardhatChainId
                ? [.. DevAccounts.FundedFromFaucet.Where(a => a.Role != "coordinator").Select(a => new DevAccountView(a.Role, a.Address.ToString(), a.PrivateKey))]
                : [];
            return Results.Json(new PortalConfigView(
                settings.ChainId, settings.Staking.ToString(), token.ToString(), settings.Key.Address.ToString(), Path + "rpc",
                (long)epoch.TotalSeconds, (long)unbonding.TotalSeconds, dev), GatewayProblems.Json);
        });
    }

    private static Task<IResult> NetworkAsync(bool? fresh, NetworkSource network, CancellationToken cancellationToken) =>
        ChainAsync(async () => Results.Json(await network.GetAsync(fresh == true, cancellationToken), GatewayProblems.Json));

    private static Task<IResult> MeAsync(string address, StakerSource stakers, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(address, out var account))
        {
            return Task.FromResult(GatewayProblems.Problem(StatusCodes.Status400BadRequest, "Not an address",
                $"'{address}' is not a 20-byte hex address (0x followed by 40 hex digits, checksummed or all one case)", "invalid_address"));
        }
        return ChainAsync(async () => Results.Json(await stakers.GetAsync(account, cancellationToken), GatewayProblems.Json));
    }

    private static IResult Image(string seq, WorkBoard board) => long.TryParse(seq, out var n) && board.Image(n) is { } png
        ? Results.File(png, "image/png")
        : GatewayProblems.Problem(StatusCodes.Status404NotFound, "No such image", $"image {seq} is not among the latest ones kept", "not_found");

    /// <summary>A chain that does not answer is the coordinator's upstream failing: a 502 problem, not a stack trace.</summary>
    private static async Task<IResult> ChainAsync(Func<Task<IResult>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is Chain.RpcException or Chain.RpcUnavailableException or HttpRequestException or StakingRevertException or TimeoutException)
        {
            return GatewayProblems.Problem(StatusCodes.Status502BadGateway, "Chain unavailable", $"the chain node did not answer the portal's read: {e.Message}", "chain_unavailable");
        }
    }

    private static async Task WorkStreamAsync(HttpContext http, WorkBoard board, PortalOptions options)
    {
        var aborted = http.RequestAborted;
        using var stream = board.Open();
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(aborted);
        try
        {
            await WriteEventAsync(response, "snapshot", JsonSerializer.Serialize(stream.Snapshot, GatewayProblems.Json), aborted);
            while (!aborted.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                heartbeat.CancelAfter(options.StreamHeartbeat);
                try
                {
                    if (!await stream.Events.WaitToReadAsync(heartbeat.Token))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await response.WriteAsync(": heartbeat\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }
                while (stream.Events.TryRead(out var e))
                {
                    await WriteEventAsync(response, "task", JsonSerializer.Serialize(e, GatewayProblems.Json), aborted);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, string data, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\ndata: {data}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}

/// <summary>The contract's token and durations, read once: they are immutable in the contract.</summary>
public sealed class PortalChain(CuckooStakingClient staking)
{
    private Task<(Address Token, TimeSpan Epoch, TimeSpan Unbonding)>? _parameters;
    private CaiTokenClient? _token;

    public CuckooStakingClient Staking => staking;

    public async Task<CaiTokenClient> TokenAsync(CancellationToken cancellationToken) =>
        _token ??= new CaiTokenClient(staking.Client, (await ParametersAsync(cancellationToken).ConfigureAwait(false)).Token);

    public async Task<(Address Token, TimeSpan Epoch, TimeSpan Unbonding)> ParametersAsync(CancellationToken cancellationToken)
    {
        var read = _parameters ??= ReadAsync();
        try
        {
            return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (read.IsFaulted)
        {
            // A chain that was down at the first ask is asked again next time.
            _parameters = null;
            throw;
        }
    }

    private async Task<(Address, TimeSpan, TimeSpan)> ReadAsync()
    {
        var parameters = await staking.GetParametersAsync().ConfigureAwait(false);
        return (await staking.TokenAsync().ConfigureAwait(false), await staking.EpochLengthAsync().ConfigureAwait(false), parameters.UnbondingPeriod);
    }
}
