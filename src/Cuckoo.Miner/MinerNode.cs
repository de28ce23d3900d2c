using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;
using Cuckoo.Staking;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Miner;

/// <summary>
/// A miner node: checks its own standing, finds the coordinators it serves on chain, and keeps one cluster membership per
/// coordinator (<see cref="MinerMembership"/>) until it is stopped.
/// </summary>
public static class MinerNode
{
    public const string Role = "miner";

    /// <summary>Runs until <paramref name="cancellationToken"/> fires; a sentence in <see cref="MinerRefusedException"/> when it may not run at all.</summary>
    public static async Task RunAsync(MinerNodeSettings settings, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        using var chain = new ChainClient(settings.RpcUrl);
        var staking = new CuckooStakingClient(chain, settings.Staking);
        var standing = await new ChainMinerEligibility(staking, new JailBook()).CheckAsync(settings.Key.Address, cancellationToken);
        if (!standing.Eligible)
        {
            throw new MinerRefusedException($"miner {settings.Key.Address} may not run a node: {standing.Detail}");
        }
        var catalog = settings.CatalogPath is { } path ? ModelCatalog.Load(path) : ModelCatalog.Load(ModelCatalog.DefaultPath());
        var models = settings.Models.Count > 0 ? settings.Models : [.. catalog.Models.Select(m => m.Id)];
        foreach (var model in models.Where(m => !catalog.Contains(m)))
        {
            throw new MinerRefusedException($"model '{model}' is not in the catalog {ModelCatalog.DefaultPath()}");
        }
        var coordinators = settings.Coordinators.Count > 0
            ? settings.Coordinators
            : await CoordinatorDirectory.ActiveAsync(chain, staking, settings.StartBlock, cancellationToken);
        if (coordinators.Count == 0)
        {
            throw new MinerRefusedException("no active coordinator is registered on chain: pass --coordinator ADDRESS once one is");
        }

        var log = logging.CreateLogger("Cuckoo.Miner");
        var served = new List<(Address Coordinator, Uri Url, int Port)>();
        for (var i = 0; i < coordinators.Count; i++)
        {
            var coordinator = coordinators[i];
            var url = await staking.UrlOfAsync(coordinator).WaitAsync(cancellationToken);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var enrolmentUrl) || enrolmentUrl.Scheme != Uri.UriSchemeHttps)
            {
                log.LogWarning("coordinator {Coordinator} registered no usable HTTPS enrolment URL ('{Url}'); skipping it", coordinator, url);
                continue;
            }
            served.Add((coordinator, enrolmentUrl, settings.ClusterPort + i));
        }
        if (served.Count == 0)
        {
            throw new MinerRefusedException("none of the coordinators to serve has a usable HTTPS enrolment URL on chain");
        }

        // The capacity is shared by the coordinators actually served, by weight, and re-divided as stake moves.
        var credits = new CreditAllocator(settings.Capacity, [.. served.Select(s => s.Coordinator)], CreditAllocator.FromChain(staking), log);
        await credits.RefreshAsync(cancellationToken);
        using var refresh = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var refreshing = credits.RunAsync(settings.CreditRefresh, refresh.Token);
        try
        {
            var memberships = served.Select(s =>
                new MinerMembership(settings, catalog, models, s.Coordinator, s.Url, s.Port, credits.For(s.Coordinator), logging).RunAsync(cancellationToken));
            await Task.WhenAll(memberships);
        }
        finally
        {
            await refresh.CancelAsync();
            await refreshing;
        }
    }
}

/// <summary>Why a miner node may not run at all (a sentence for the operator, not a crash).</summary>
public sealed class MinerRefusedException(string message) : Exception(message);
