using System.Diagnostics;
using System.Net;
using Cuckoo.Chain;
using Cuckoo.Cluster.Transport;
using Cuckoo.Testing;
using Cuckoo.Staking;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>
/// Two coordinator nodes of one operator on one PostgreSQL database: the singletons run under the PostgreSQL lease, the
/// journal is fenced, and the split-brain resolver keeps the oldest coordinator unless it is alone.
/// </summary>
[Collection("cluster")]
public sealed class CoordinatorFailoverTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const string SingletonStarted = "Singleton manager started singleton actor [akka://cuckoo/user/leader/leader]";

    /// <summary>Down (about 8 s) and then the dead node's lease running out (12 s from its last renewal), with room for two busy cores.</summary>
    private static readonly TimeSpan HandoverBudget = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Killing_the_oldest_coordinator_moves_the_singletons_to_the_other()
    {
        await using var postgres = await TempPostgres.StartAsync(durable: false);
        await using var nodes = new Nodes(fixture);
        var (a, b) = await StartPairAsync(nodes, postgres);
        using var appA = a.Client();
        using var appB = b.Client();
        // Only the leader's gateway takes tasks; the standby's says at once where the scheduler is, for a load balancer's
        // readiness check and for an app that reached it.
        using (var ready = await appA.SendAsync(HttpMethod.Get, "/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        using (var standby = await appB.SendAsync(HttpMethod.Get, "/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, standby.StatusCode);
            Assert.Contains($"the leader coordinator akka.ssl.tcp://cuckoo@127.0.0.1:{a.ClusterPort}", await standby.Content.ReadAsStringAsync());
        }
        var (refused, _, _) = await appB.SubmitAsync("to-the-standby", "a task sent to the standby");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);

        var clock = Stopwatch.StartNew();
        a.Process.Kill();
        await b.Process.WaitForLineAsync(SingletonStarted, HandoverBudget);
        output.WriteLine($"SIGKILL of the oldest coordinator → singleton running on the other after {clock.Elapsed.TotalSeconds:F1} s");
        Timings.Record("coordinator-sigkill-to-singleton-s", clock.Elapsed.TotalSeconds);
        Assert.Equal(OwnerOf(b), await LeaseOwnerAsync(postgres, "cuckoo-singleton-akka://cuckoo/user/leader"));
        using var admin = new AdminProbe(b.AccessFile);
        await admin.WaitForAsync(m => m.Count(x => x.Roles.Contains("coordinator")) == 1, HandoverBudget, "the killed coordinator removed");

        // The survivor's gateway takes tasks now.
        var deadline = DateTime.UtcNow + HandoverBudget;
        HttpStatusCode accepted;
        while ((accepted = (await appB.SubmitAsync("after-failover", "a task for the new leader")).Status) != HttpStatusCode.Accepted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        Assert.Equal(HttpStatusCode.Accepted, accepted);
    }

    [Fact]
    public async Task A_frozen_coordinator_finds_itself_out_and_its_journal_writes_are_refused()
    {
        await using var postgres = await TempPostgres.StartAsync(durable: false);
        await using var nodes = new Nodes(fixture);
        var (a, b) = await StartPairAsync(nodes, postgres);

        a.Process.Freeze();
        try
        {
            await b.Process.WaitForLineAsync(SingletonStarted, HandoverBudget);
            Assert.Equal(OwnerOf(b), await LeaseOwnerAsync(postgres, "cuckoo-singleton-akka://cuckoo/user/leader"));
            // A block for the frozen node's chain watcher to checkpoint as soon as it wakes.
            var sender = new TransactionSender(fixture.Chain, fixture.Miner3Staker);
            await fixture.Token.ApproveAsync(sender, fixture.Staking.Address, Cai.Tokens(1));
        }
        finally
        {
            a.Process.Thaw();
        }

        // Awake, it learns it was downed and stops; anything its old singleton wrote meanwhile was refused at the database.
        await a.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(OwnerOf(b), await LeaseOwnerAsync(postgres, "cuckoo-singleton-akka://cuckoo/user/leader"));
        // The chain watcher's checkpoints in journal order: each writer (one actor incarnation) writes one run, and once
        // another has written, an earlier one never writes again. A deposed node writing after its successor would.
        var writers = await WritersInOrderAsync(postgres);
        var runs = writers.Where((w, i) => i == 0 || writers[i - 1] != w).ToList();
        Assert.Equal(runs.Count, runs.Distinct().Count());
        Assert.True(runs.Count >= 2, $"both coordinators should have written checkpoints: {string.Join(", ", runs)}");
        using var admin = new AdminProbe(b.AccessFile);
        await admin.WaitForAsync(m => m.Count(x => x.Roles.Contains("coordinator")) == 1 && m.All(x => x.Reachable), HandoverBudget, "the frozen coordinator gone");
        var refused = a.Process.Lines.Any(l => l.Contains("write refused", StringComparison.Ordinal) || l.Contains("CKF01", StringComparison.Ordinal));
        output.WriteLine(refused ? "the frozen coordinator's write after waking was refused by the fence" : "the frozen coordinator stopped before it tried to write");
    }

    private async Task<(CoordinatorHandle A, CoordinatorHandle B)> StartPairAsync(Nodes nodes, TempPostgres postgres)
    {
        var portA = ClusterFixture.FreePort();
        var portB = ClusterFixture.FreePort();
        var dirA = Path.Combine(nodes.Root, "coordinator-a");
        var dirB = Path.Combine(nodes.Root, "coordinator-b");
        var thumbA = NodeCertificate.ThumbprintOf(NodeCertificate.LoadOrCreate(Path.Combine(dirA, "node.pfx"), "cuckoo-coordinator-a"));
        var thumbB = NodeCertificate.ThumbprintOf(NodeCertificate.LoadOrCreate(Path.Combine(dirB, "node.pfx"), "cuckoo-coordinator-b"));
        var seeds = new[] { "--seed", $"akka.ssl.tcp://cuckoo@127.0.0.1:{portA}", "--seed", $"akka.ssl.tcp://cuckoo@127.0.0.1:{portB}" };
        var environment = new Dictionary<string, string> { ["CUCKOO_DB_PROVIDER"] = "postgresql", ["CUCKOO_DB"] = postgres.ConnectionString };
        var a = nodes.StartCoordinator("coordinator-a", clusterPort: portA, dataDir: dirA, environment: environment,
            extraArgs: [.. seeds, "--peer-thumbprint", thumbB]);
        await a.UpAsync();
        await a.Process.WaitForLineAsync(SingletonStarted, Nodes.StartTimeout);
        var b = nodes.StartCoordinator("coordinator-b", clusterPort: portB, dataDir: dirB, environment: environment, enrolmentPort: ClusterFixture.FreePort(),
            extraArgs: [.. seeds, "--peer-thumbprint", thumbA]);
        await b.UpAsync();
        using var admin = new AdminProbe(a.AccessFile);
        await admin.WaitForAsync(m => m.Count(x => x.Roles.Contains("coordinator") && x.Status == "Up") == 2, Nodes.StartTimeout, "both coordinators Up");
        await b.Process.WaitForLineAsync("Younger", Nodes.StartTimeout);
        return (a, b);
    }

    private static async Task<List<string>> WritersInOrderAsync(TempPostgres postgres)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select writer_uuid from journal where persistence_id like 'chain-watcher-%' order by sequence_number", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var writers = new List<string>();
        while (await reader.ReadAsync())
        {
            writers.Add(reader.GetString(0));
        }
        return writers;
    }

    private static string OwnerOf(CoordinatorHandle c) => $"cuckoo@127.0.0.1:{c.ClusterPort}";

    private static async Task<string?> LeaseOwnerAsync(TempPostgres postgres, string lease)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select owner from cuckoo_leases where name = @name", connection);
        command.Parameters.AddWithValue("name", lease);
        return await command.ExecuteScalarAsync() as string;
    }
}
