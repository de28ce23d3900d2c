using System.CommandLine;
using System.Net;
using Cuckoo.Chain;
using Cuckoo.Cluster.Transport;
using Cuckoo.Coordinator.Node;
using Cuckoo.Gateway.Hosting;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;
using Cuckoo.Miner;
using Cuckoo.Staking.Devnet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Cli.Commands;

/// <summary>`cuckoo coordinator run`, `cuckoo miner run` and `cuckoo node thumbprint`: the long-running nodes.</summary>
internal static class NodeCommands
{
    public static Command CoordinatorRun()
    {
        var o = new CliOptions();
        var n = new NodeOptions();
        var listen = new Option<string?>("--listen") { Description = "Public enrolment listener host:port (default: the host and port of the URL registered on chain)." };
        var admin = new Option<string>("--admin-listen") { Description = "Admin listener host:port (loopback unless you say otherwise).", DefaultValueFactory = _ => "127.0.0.1:9443" };
        var seeds = new Option<string[]>("--seed") { Description = "Akka address of another coordinator node of this operator (repeatable), e.g. akka.ssl.tcp://cuckoo@10.0.0.2:4053." };
        var gateway = new Option<string>("--gateway-listen") { Description = "The apps' gateway (plain HTTP) host:port, or 'off' (loopback unless you say otherwise).", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var peers = new Option<string[]>("--peer-thumbprint") { Description = "TLS thumbprint of another coordinator node of this operator (repeatable; `cuckoo node thumbprint` prints it)." };
        var command = new Command("run", "Run a coordinator node: miners enrol here and join its cluster; it refuses to start unless its address is registered, active and staked above the minimum.")
        {
            listen, admin, gateway, seeds, peers,
        };
        n.AddTo(command, o, defaultPort: 4053);
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var (key, session) = await n.OpenAsync(ctx, o, ct);
            NodeRun.CoordinatorSettingsInput input;
            using (session)
            {
                var refusal = await NodeStanding.CoordinatorRefusalAsync(session.Staking, key.Address, ct);
                if (refusal is not null)
                {
                    throw new CliException(ExitCodes.Failed, "not-eligible", refusal);
                }
                var url = await session.Staking.UrlOfAsync(key.Address);
                input = new(session.RpcUrl, session.Staking.Address, session.Deployment.ChainId, session.Deployment.DeployBlock, url, await session.Staking.TokenAsync());
            }
            var listenAt = ctx.Parse.GetValue(listen) is { } l ? NodeOptions.ParseEndPoint(l, "--listen") : NodeRun.EndPointOf(input.RegisteredUrl);
            var catalogPath = Cuckoo.Inference.Catalog.ModelCatalog.DefaultPath();
            var catalog = Cuckoo.Inference.Catalog.ModelCatalog.Load(catalogPath);
            var settings = new CoordinatorNodeSettings
            {
                Key = key,
                RpcUrl = input.RpcUrl,
                Staking = input.Staking,
                ChainId = input.ChainId,
                StartBlock = input.DeployBlock,
                DataDirectory = n.DataDirectory(ctx, "coordinator"),
                EnrolmentListen = listenAt,
                AdminListen = NodeOptions.ParseEndPoint(ctx.Parse.GetValue(admin)!, "--admin-listen"),
                GatewayListen = ctx.Parse.GetValue(gateway) is "off" ? null : NodeOptions.ParseEndPoint(ctx.Parse.GetValue(gateway)!, "--gateway-listen"),
                ClusterHost = ctx.Parse.GetValue(n.ClusterHost)!,
                ClusterPort = ctx.Parse.GetValue(n.ClusterPort),
                PublicClusterHost = ctx.Parse.GetValue(n.PublicHost),
                Seeds = ctx.Parse.GetValue(seeds) ?? [],
                PeerThumbprints = [.. (ctx.Parse.GetValue(peers) ?? []).Select(NodeOptions.ParseThumbprint)],
                Token = input.Token,
                CatalogPath = catalogPath,
                // Results compare by the catalog's rule per model: equal digests, or a tolerance on decoded images.
                Agree = new Cuckoo.Coordinator.Trust.ResultsAgree(Cuckoo.Inference.Catalog.OutputComparison.For(catalog)),
            };
            // The gateway serves the same catalog the trust rules were read from: one file, read once.
            await using var app = CoordinatorNode.Build(settings, NodeRun.Logging, CoordinatorGateway.Parts(settings, catalog: catalog));
            await app.StartAsync(ct);
            var gatewayText = settings.GatewayListen is { } g ? $", gateway http://{g} (API keys {settings.ApiKeysPath})" : "";
            await ctx.Out.WriteLineAsync($"coordinator {key.Address} is up: enrolment https://{settings.EnrolmentListen}, cluster {settings.SelfAkkaAddress}, admin https://{settings.AdminListen} (access file {settings.AdminAccessPath}){gatewayText}");
            var system = app.Services.GetRequiredService<Akka.Actor.ActorSystem>();
            var ended = await Task.WhenAny(NodeRun.UntilStoppedAsync(ct), system.WhenTerminated);
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await app.StopAsync(stopping.Token);
            if (ended == system.WhenTerminated && !ct.IsCancellationRequested)
            {
                // Downed (a partition it lost, a freeze past its lease) or left: its cluster goes on without it.
                throw new CliException(ExitCodes.Failed, "left-cluster", $"coordinator node {settings.SelfAkkaAddress} is no longer a member of its cluster (see the log above); start it again to rejoin");
            }
            return CliRun.Printed.Instance;
        }, (_, _) => { });
        return command;
    }

    public static Command MinerRun()
    {
        var o = new CliOptions();
        var n = new NodeOptions();
        var coordinators = new Option<string[]>("--coordinator") { Description = "Coordinator address to serve (repeatable; default: every active coordinator on chain)." };
        var models = new Option<string[]>("--model") { Description = "Model to serve (repeatable; default: every model of the catalog)." };
        var capacity = new Option<int>("--capacity") { Description = "Tasks this node holds at once (one running per model session, the rest queued beside it).", DefaultValueFactory = _ => 2 };
        var cuda = new Option<bool>("--cuda") { Description = "Run models on the GPU with ONNX Runtime's CUDA provider (falls back to CPU, saying why, when CUDA is missing)." };
        // A fault for the trust layer's tests, not for operators: such a miner is jailed and slashed.
        var corrupt = new Option<bool>("--corrupt-outputs") { Description = "Testing only: sign corrupted outputs, as a faking miner would.", Hidden = true };
        var command = new Command("run", "Run a miner node: enrols at the coordinators it serves, joins their clusters over mutual TLS and serves its models; it refuses to start unless its address is registered, active and staked above the minimum.")
        {
            coordinators, models, capacity, cuda, corrupt,
        };
        n.AddTo(command, o, defaultPort: 4060);
        CliRun.SetAction(command, o.Json, async (ctx, ct) =>
        {
            var wanted = ctx.Parse.GetValue(capacity);
            if (wanted is < 1 or > 1024)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", $"--capacity must be between 1 and 1024, not {wanted}");
            }
            var served = (ctx.Parse.GetValue(coordinators) ?? []).Select(c => CliRun.ParseAddress(c, "--coordinator")).ToList();
            var (key, session) = await n.OpenAsync(ctx, o, ct);
            MinerNodeSettings settings;
            using (session)
            {
                settings = new MinerNodeSettings
                {
                    Key = key,
                    RpcUrl = session.RpcUrl,
                    Staking = session.Staking.Address,
                    ChainId = session.Deployment.ChainId,
                    StartBlock = session.Deployment.DeployBlock,
                    DataDirectory = n.DataDirectory(ctx, "miner-" + key.Address),
                    Coordinators = served,
                    ClusterHost = ctx.Parse.GetValue(n.ClusterHost)!,
                    ClusterPort = ctx.Parse.GetValue(n.ClusterPort),
                    PublicClusterHost = ctx.Parse.GetValue(n.PublicHost),
                    Models = ctx.Parse.GetValue(models) ?? [],
                    Capacity = wanted,
                    Provider = ctx.Parse.GetValue(cuda) ? ExecutionProviderKind.Cuda : ExecutionProviderKind.Cpu,
                    CorruptOutputs = ctx.Parse.GetValue(corrupt),
                };
            }
            using var logging = LoggerFactory.Create(NodeRun.Logging);
            await ctx.Out.WriteLineAsync($"miner {key.Address} starting: cluster port {settings.ClusterPort}, data {settings.DataDirectory}");
            try
            {
                await MinerNode.RunAsync(settings, logging, ct);
            }
            catch (MinerRefusedException refused)
            {
                throw new CliException(ExitCodes.Failed, "not-eligible", refused.Message);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C / SIGTERM: the memberships left their clusters on the way out.
            }
            return CliRun.Printed.Instance;
        }, (_, _) => { });
        return command;
    }

    /// <summary>`cuckoo node thumbprint`: creates the node certificate if needed and prints the thumbprint peers pin.</summary>
    public static Command Node()
    {
        var file = new Option<string>("--certificate") { Description = "The node's certificate file.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var thumbprint = new Command("thumbprint", "Print (creating it first if needed) the SHA-256 thumbprint of a node's TLS certificate, for --peer-thumbprint.") { file, json };
        CliRun.SetAction(thumbprint, json, (ctx, _) =>
        {
            var path = Path.GetFullPath(ctx.Parse.GetValue(file)!);
            var certificate = NodeCertificate.LoadOrCreate(path, "cuckoo-node");
            return Task.FromResult(new { certificate = path, thumbprint = NodeCertificate.ThumbprintOf(certificate) });
        }, (ctx, r) => ctx.Out.WriteLine(r.thumbprint));
        return new Command("node", "Node identity.") { thumbprint };
    }
}
