using System.Numerics;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Cuckoo.Chain;
using Cuckoo.Persistence;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Cuckoo.Staking.Tests;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.ChainWatcher.Tests;

/// <summary>
/// Shared plumbing: a real node (the fixture), an RPC client, staking helpers, and actor systems whose journal and
/// snapshot store are one SQLite file in a temporary folder (the TestKit's own system and any "restarted process"
/// made with <see cref="NewSystem"/>).
/// </summary>
public abstract class WatcherTestBase : Akka.TestKit.Xunit2.TestKit
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly string _temp;
    private readonly List<ActorSystem> _systems = [];

    protected WatcherTestBase(HardhatFixture fixture) : this(fixture, Directory.CreateTempSubdirectory("cuckoo-watcher-tests-").FullName)
    {
    }

    private WatcherTestBase(HardhatFixture fixture, string temp) : base(JournalConfig(Path.Combine(temp, "watcher.db")), "watcher-tests")
    {
        _temp = temp;
        Fixture = fixture;
        Client = new ChainClient(fixture.Node.RpcUrl);
    }

    protected HardhatFixture Fixture { get; }

    protected ChainClient Client { get; }

    protected string JournalPath => Path.Combine(_temp, "watcher.db");

    protected CuckooStakingClient Staking => new(Client, Fixture.Staking, token: Fixture.Token);

    /// <summary>Akka.Persistence.Sql on one SQLite file for journal and snapshots, with our event serializer bound.</summary>
    internal static Config JournalConfig(string file)
    {
        var settings = PersistenceSettings.Sqlite(file);
        settings.PrepareStorage();
        return ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(settings.ToConfig());
    }

    /// <summary>Another actor system on the same journal: a restarted process.</summary>
    protected ActorSystem NewSystem(string name)
    {
        var system = ActorSystem.Create(name, JournalConfig(JournalPath));
        _systems.Add(system);
        return system;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var system in _systems)
        {
            system.Terminate().Wait(Wait);
        }
        base.Dispose(disposing);
        Client.Dispose();
        if (disposing)
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    protected ChainWatcherSettings Settings(long startBlock, int? confirmations = 0) => new()
    {
        RpcUrl = Fixture.Node.RpcUrl,
        Staking = Fixture.Staking,
        StartBlock = startBlock,
        Confirmations = confirmations,
        PollInterval = TimeSpan.FromMilliseconds(50),
        MinBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(400),
        StaleAfter = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    protected async Task<long> NextBlockAsync() => await Client.GetBlockNumberAsync() + 1;

    /// <summary>A probe that gets everything watchers of <paramref name="system"/> (default: the TestKit's) publish on its event stream.</summary>
    protected TestProbe SubscribeToStream(ActorSystem? system = null)
    {
        var probe = system is null ? CreateTestProbe() : CreateTestProbe(system);
        (system ?? Sys).EventStream.Subscribe(probe.Ref, typeof(IChainWatcherEvent));
        return probe;
    }

    protected TransactionSender Sender(string role) => new(Client, DevAccounts.ByRole(role).Key);

    protected static Address AddressOf(string role) => DevAccounts.ByRole(role).Address;

    protected async Task ApproveAsync(string role) =>
        await new CaiTokenClient(Client, Fixture.Token).ApproveAsync(Sender(role), Fixture.Staking, BigInteger.Pow(2, 256) - 1);

    protected async Task<TransactionOutcome> StakeAsync(string role, long tokens) => await Staking.StakeAsync(Sender(role), Cai.Tokens(tokens));

    protected StakingTypedData Typed => new(31337, Fixture.Staking);

    /// <summary>The candidate key's registration consent for the staker, with the nonce the contract expects now.</summary>
    protected async Task<byte[]> ConsentAsync(EthKey candidate, Address staker, CandidateKind kind, string intro) =>
        Typed.SignRegistration(candidate, staker, kind, intro, await Staking.ConsentNonceOfAsync(candidate.Address));

    /// <summary>A new staker (gas and CAI from the devnet faucet) registers a new miner key, which it returns.</summary>
    protected async Task<EthKey> RegisterFreshMinerAsync(string intro)
    {
        var staker = EthKey.Generate();
        var miner = EthKey.Generate();
        var token = new CaiTokenClient(Client, Fixture.Token);
        await DevnetFaucet.FundAsync(token, staker);
        var sender = new TransactionSender(Client, staker);
        await token.ApproveAsync(sender, Fixture.Staking, Cai.Tokens(30_000));
        await Staking.StakeAsync(sender, Cai.Tokens(30_000));
        await Staking.RegisterMinerAsync(sender, miner.Address, intro, await ConsentAsync(miner, staker.Address, CandidateKind.Miner, intro));
        return miner;
    }

    protected async Task MineAsync(int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            await Client.CallAsync("evm_mine");
        }
    }

    /// <summary>The next contract event the probe gets, skipping freshness notices.</summary>
    protected static async Task<IChainEvent> NextEventAsync(TestProbe probe) => await probe.FishForMessageAsync<IChainEvent>(_ => true, Wait);
}
