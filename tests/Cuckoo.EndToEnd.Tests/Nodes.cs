using Cuckoo.Chain;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>The nodes one test starts, on free ports under a folder of its own; all killed when the test ends.</summary>
public sealed class Nodes(ClusterFixture fixture) : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<NodeProcess> _started = [];

    public string Root { get; } = Directory.CreateTempSubdirectory("cuckoo-e2e-nodes-").FullName;

    public CoordinatorHandle StartCoordinator(string name = "coordinator", int? enrolmentPort = null, int? clusterPort = null,
        IEnumerable<string>? extraArgs = null, IReadOnlyDictionary<string, string>? environment = null, string? dataDir = null) =>
        StartCoordinatorWith(["--dev-account", "coordinator"], name, enrolmentPort, clusterPort, extraArgs, environment, dataDir);

    /// <summary>A coordinator of another operator: its own registered key (and the enrolment port its URL on chain names).</summary>
    public CoordinatorHandle StartCoordinator(EthKey key, string name, int enrolmentPort, int? clusterPort = null,
        IEnumerable<string>? extraArgs = null, IReadOnlyDictionary<string, string>? environment = null, string? dataDir = null) =>
        StartCoordinatorWith(["--key", fixture.KeyFile(key), "--password-file", fixture.PasswordFile], name, enrolmentPort, clusterPort, extraArgs, environment, dataDir);

    private CoordinatorHandle StartCoordinatorWith(IEnumerable<string> identity, string name, int? enrolmentPort, int? clusterPort,
        IEnumerable<string>? extraArgs, IReadOnlyDictionary<string, string>? environment, string? dataDir)
    {
        var data = dataDir ?? Path.Combine(Root, name);
        var port = clusterPort ?? ClusterFixture.FreePort();
        var admin = ClusterFixture.FreePort();
        var gateway = _gatewayPorts.TryGetValue(data, out var known) ? known : ClusterFixture.FreePort();
        _gatewayPorts[data] = gateway;
        var apiKey = GatewayClient.EnsureKey(data);
        List<string> args =
        [
            "coordinator", "run", .. identity, "--deployment", fixture.DeploymentFile, "--data-dir", data,
            "--cluster-port", port.ToString(), "--admin-listen", $"127.0.0.1:{admin}",
            "--listen", $"127.0.0.1:{enrolmentPort ?? fixture.EnrolmentPort}", "--gateway-listen", $"127.0.0.1:{gateway}",
        ];
        args.AddRange(extraArgs ?? []);
        var process = Track(NodeProcess.Start(name, args, environment));
        return new CoordinatorHandle(process, data, Path.Combine(data, "admin.json"), port, $"akka.ssl.tcp://cuckoo@127.0.0.1:{port}",
            new Uri($"http://127.0.0.1:{gateway}"), apiKey);
    }

    public NodeProcess StartMiner(string name, string devAccount, int? clusterPort = null, IEnumerable<string>? extraArgs = null) =>
        StartMinerWith(name, ["--dev-account", devAccount], clusterPort, extraArgs);

    public NodeProcess StartMiner(string name, EthKey key, int? clusterPort = null, IEnumerable<string>? extraArgs = null) =>
        StartMinerWith(name, ["--key", fixture.KeyFile(key), "--password-file", fixture.PasswordFile], clusterPort, extraArgs);

    public int MinerPort(string name) => _ports.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException(name);

    private readonly Dictionary<string, int> _ports = [];

    /// <summary>A restarted coordinator (same data folder) keeps its gateway port, as an operator's would.</summary>
    private readonly Dictionary<string, int> _gatewayPorts = [];

    private NodeProcess StartMinerWith(string name, IEnumerable<string> identity, int? clusterPort, IEnumerable<string>? extraArgs)
    {
        var port = clusterPort ?? (_ports.TryGetValue(name, out var known) ? known : ClusterFixture.FreePort());
        _ports[name] = port;
        var args = new List<string> { "miner", "run", "--deployment", fixture.DeploymentFile, "--data-dir", Path.Combine(Root, name), "--cluster-port", port.ToString() };
        args.AddRange(identity);
        args.AddRange(extraArgs ?? []);
        return Track(NodeProcess.Start(name, args));
    }

    private NodeProcess Track(NodeProcess process)
    {
        _started.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _started)
        {
            await p.DisposeAsync();
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A killed node's files may linger for a moment; the OS cleans its temp folder.
        }
    }
}

/// <param name="Gateway">The apps' gateway (plain HTTP on loopback).</param>
/// <param name="ApiKey">A key of app "e2e", stored hashed in the coordinator's api-keys.json.</param>
public sealed record CoordinatorHandle(NodeProcess Process, string DataDirectory, string AccessFile, int ClusterPort, string AkkaAddress, Uri Gateway, string ApiKey)
{
    public GatewayClient Client() => new(Gateway, ApiKey);

    public Task UpAsync() => Process.WaitForLineAsync(" is up: ", Nodes.StartTimeout);
}
