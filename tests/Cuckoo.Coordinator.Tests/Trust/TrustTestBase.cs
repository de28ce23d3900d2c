using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Persistence;
using Cuckoo.Staking;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Tests.Trust;

/// <summary>
/// A trust keeper on a real SQLite journal in a temporary file, on virtual time, sending to the in-memory staking
/// contract (which checks evidence as the contract does) through a recorder, with evidence built by the real builder
/// from real signatures. <see cref="NewSystem"/> is a restarted process on the same file.
/// </summary>
public abstract class TrustTestBase : Akka.TestKit.Xunit2.TestKit
{
    protected const string Model = "cuckoo-cppn";
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    protected static readonly BigInteger Stake = Cai.Tokens(30_000);

    private readonly string _temp;
    private readonly List<ActorSystem> _systems = [];
    private readonly Dictionary<Address, Address> _stakers = [];

    protected TrustTestBase(ITestOutputHelper? output = null) : this(Directory.CreateTempSubdirectory("cuckoo-trust-tests-").FullName, output)
    {
    }

    private TrustTestBase(string temp, ITestOutputHelper? output) : base(Config(Path.Combine(temp, "trust.db")), "trust-tests", output)
    {
        _temp = temp;
        CoordinatorKey = EthKey.Generate();
        Typed = new StakingTypedData(31337, EthKey.Generate().Address);
        Ledger = new InMemoryTrustChain(Typed, CoordinatorKey.Address);
        Chain = new RecordingChain(Ledger);
        Honest = [NewMiner(), NewMiner(), NewMiner(), NewMiner()];
        Liar = NewMiner();
        Colluder = NewMiner();
    }

    protected EthKey CoordinatorKey { get; }

    protected StakingTypedData Typed { get; }

    protected InMemoryTrustChain Ledger { get; }

    protected RecordingChain Chain { get; }

    protected IReadOnlyList<EthKey> Honest { get; }

    protected EthKey Liar { get; }

    protected EthKey Colluder { get; }

    protected string JournalPath => Path.Combine(_temp, "trust.db");

    protected static TrustSettings Settings => new()
    {
        SlashRetry = TimeSpan.FromSeconds(30),
        RewardPeriod = TimeSpan.FromHours(1),
        RewardBudget = 1_000,
    };

    protected static Config Config(string file)
    {
        var settings = PersistenceSettings.Sqlite(file);
        settings.PrepareStorage();
        return ConfigurationFactory.ParseString("""
                akka.loglevel = WARNING
                akka.stdout-loglevel = WARNING
                akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
                """)
            .WithFallback(settings.ToConfig());
    }

    protected ActorSystem NewSystem(string name)
    {
        var system = ActorSystem.Create(name, Config(JournalPath));
        _systems.Add(system);
        return system;
    }

    protected static void Advance(ActorSystem system, TimeSpan by) => ((TestScheduler)system.Scheduler).Advance(by);

    protected MinerEvidence? BuildEvidence(TaskSettled settled, RunResult run, DateTimeOffset at) =>
        EvidenceBuilder.Build(Typed, CoordinatorKey, settled, run, at);

    /// <summary>The keeper with a probe for the registry and a fresh jail book, in <paramref name="system"/> (the TestKit's by default).</summary>
    protected (IActorRef Keeper, TestProbe Registry, JailBook JailBook) Start(
        TrustSettings? settings = null,
        ActorSystem? system = null,
        ITrustChain? chain = null,
        Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?>? build = null)
    {
        system ??= Sys;
        var registry = CreateTestProbe(system);
        var jailBook = new JailBook();
        var keeper = system.ActorOf(TrustKeeper.Props(settings ?? Settings, chain ?? Chain, build ?? BuildEvidence, registry.Ref, jailBook));
        return (keeper, registry, jailBook);
    }

    protected static string Digest(string text) => Hex.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    protected static string InputDigestOf(string taskId) => Digest("input of " + taskId);

    protected static string Right(string taskId) => Digest("right output of " + taskId);

    protected static string Wrong(string taskId) => Digest("wrong output of " + taskId);

    /// <summary>
    /// A settled task: <paramref name="agreeing"/> signed the right output, <paramref name="suspects"/> a wrong one (the
    /// same wrong one, as colluders would), each signature the miner's own, as <c>WorkTask.SignResult</c> makes it.
    /// </summary>
    protected TaskSettled Settle(string taskId, IEnumerable<EthKey> agreeing, IEnumerable<EthKey>? suspects = null, bool audited = false)
    {
        var task = new StakingTask(Keccak256.Hash(taskId), Keccak256.Hash(Model), Hex.Decode(InputDigestOf(taskId)));
        var runs = new List<RunResult>();
        foreach (var miner in agreeing)
        {
            runs.Add(Run(miner, runs.Count + 1, Right(taskId), true));
        }
        foreach (var miner in suspects ?? [])
        {
            runs.Add(Run(miner, runs.Count + 1, Wrong(taskId), false));
        }
        return new TaskSettled(taskId, Model, InputDigestOf(taskId), runs, audited, DateTimeOffset.UnixEpoch.AddDays(1));

        RunResult Run(EthKey miner, int attempt, string output, bool agreed) =>
            new(miner.Address, attempt, output, Hex.Encode(Typed.SignResult(miner, task, Hex.Decode(output), CoordinatorKey.Address)), agreed);
    }

    /// <summary>Sends the settlement and waits for the keeper to have journaled it.</summary>
    protected void Settled(IActorRef keeper, TaskSettled settled, TestProbe? from = null)
    {
        from ??= CreateTestProbe();
        keeper.Tell(settled, from.Ref);
        Assert.Equal(settled.TaskId, from.ExpectMsg<SettlementRecorded>(Wait).TaskId);
    }

    protected T Ask<T>(IActorRef keeper, object query, ActorSystem? system = null)
    {
        var probe = CreateTestProbe(system ?? Sys);
        keeper.Tell(query, probe.Ref);
        return probe.ExpectMsg<T>(Wait);
    }

    protected SlashState SlashOf(IActorRef keeper, string evidenceId, ActorSystem? system = null) =>
        Ask<EvidenceFound>(keeper, new GetEvidence(evidenceId), system).Slash;

    /// <summary>Journal rows of the keeper under <paramref name="manifest"/>, read straight from the file.</summary>
    protected long JournalRows(string manifest)
    {
        using var connection = new SqliteConnection($"Data Source={JournalPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM journal WHERE persistence_id = 'trust' AND manifest = $m";
        command.Parameters.AddWithValue("$m", manifest);
        return (long)command.ExecuteScalar()!;
    }

    protected long SnapshotRows()
    {
        using var connection = new SqliteConnection($"Data Source={JournalPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM snapshot WHERE persistence_id = 'trust'";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The checkout the tests run from: the nearest folder above them with Directory.Packages.props.</summary>
    protected static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    protected Address StakerOf(EthKey miner) => _stakers[miner.Address];

    private EthKey NewMiner()
    {
        var key = EthKey.Generate();
        var staker = EthKey.Generate().Address;
        Ledger.AddMiner(key.Address, staker, Stake);
        _stakers[key.Address] = staker;
        return key;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var system in _systems)
        {
            system.Terminate().Wait(Wait);
        }
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_temp, recursive: true);
        }
    }
}

/// <summary>The in-memory contract behind a recorder of every call; a slash can be answered by hand instead.</summary>
public sealed class RecordingChain(ITrustChain inner) : ITrustChain
{
    public ConcurrentQueue<MinerEvidence> Slashes { get; } = new();

    public ConcurrentQueue<(Address Miner, BigInteger Amount)> Deposits { get; } = new();

    /// <summary>Answers a slash instead of the contract when it returns an outcome; null: the contract answers.</summary>
    public Func<MinerEvidence, ChainOutcome?>? SlashOverride { get; set; }

    /// <summary>What the coordinator holds, instead of the contract's balance; null: the contract's.</summary>
    public BigInteger? Balance { get; set; }

    public Task<int> MinWitnessesAsync(CancellationToken cancellationToken) => inner.MinWitnessesAsync(cancellationToken);

    public Task<ChainOutcome> SlashAsync(MinerEvidence evidence, CancellationToken cancellationToken)
    {
        Slashes.Enqueue(evidence);
        return SlashOverride?.Invoke(evidence) is { } outcome ? Task.FromResult(outcome) : inner.SlashAsync(evidence, cancellationToken);
    }

    /// <summary>
    /// What happens to the next deposits after they reach the chain: their outcome is lost (the keeper hears a timeout,
    /// as when a receipt does not come in time), or the call never returns (as when the coordinator dies first).
    /// </summary>
    public DepositFault Fault { get; set; }

    public async Task<ChainOutcome> DepositRewardAsync(Address miner, BigInteger amount, CancellationToken cancellationToken)
    {
        Deposits.Enqueue((miner, amount));
        var outcome = await inner.DepositRewardAsync(miner, amount, cancellationToken);
        switch (Fault)
        {
            case DepositFault.LoseOutcome:
                Fault = DepositFault.None;
                return ChainOutcome.Failure("the receipt did not come within the timeout", retryable: true);
            case DepositFault.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
        }
        return outcome;
    }

    public Task<BigInteger> RewardBalanceAsync(CancellationToken cancellationToken) =>
        Balance is { } balance ? Task.FromResult(balance) : inner.RewardBalanceAsync(cancellationToken);

    public Task<long> DepositMarkAsync(CancellationToken cancellationToken) => inner.DepositMarkAsync(cancellationToken);

    public Task<DepositSearch> FindDepositAsync(Address miner, BigInteger amount, long fromBlock, CancellationToken cancellationToken) =>
        inner.FindDepositAsync(miner, amount, fromBlock, cancellationToken);
}

public enum DepositFault
{
    None,
    LoseOutcome,
    Hang,
}
