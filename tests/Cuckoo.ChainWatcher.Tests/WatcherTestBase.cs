using System.Numerics;
using Cuckoo.Actors;
using Cuckoo.Actors.TestKit;
using Cuckoo.Chain;
using Cuckoo.Persistence;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Cuckoo.Staking.Tests;
using Xunit;

namespace Cuckoo.ChainWatcher.Tests;

/// <summary>A TestKit the tests own (several may exist in one test, one per actor system "process").</summary>
public sealed class Kit() : TestKit;

/// <summary>Shared plumbing: a real node (the fixture), an RPC client, staking helpers and a journal in a temporary folder.</summary>
public abstract class WatcherTestBase(HardhatFixture fixture) : IAsyncLifetime
{
    private readonly List<Kit> _kits = [];
    private readonly string _temp = Directory.CreateTempSubdirectory("cuckoo-watcher-tests-").FullName;

    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    protected HardhatFixture Fixture { get; } = fixture;

    protected ChainClient Client { get; } = new(fixture.Node.RpcUrl);

    protected string JournalPath => Path.Combine(_temp, "watcher.db");

    protected CuckooStakingClient Staking => new(Client, Fixture.Staking, token: Fixture.Token);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var kit in _kits)
        {
            await kit.DisposeAsync();
        }
        Client.Dispose();
        Directory.Delete(_temp, recursive: true);
    }

    /// <summary>A new actor system with the SQLite journal at <see cref="JournalPath"/>.</summary>
    protected Kit NewKit()
    {
        var kit = new Kit();
        kit.Sys.UsePersistence(PersistenceSettings.Sqlite(JournalPath));
        _kits.Add(kit);
        return kit;
    }

    protected ChainWatcherSettings Settings(long startBlock, int confirmations = 0) => new()
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

    protected static TestProbe SubscribeToStream(Kit kit)
    {
        var probe = kit.CreateTestProbe();
        kit.Sys.EventStream.Subscribe(probe, typeof(IChainWatcherEvent));
        return probe;
    }

    protected TransactionSender Sender(string role) => new(Client, DevAccounts.ByRole(role).Key);

    protected static Address AddressOf(string role) => DevAccounts.ByRole(role).Address;

    protected async Task ApproveAsync(string role) =>
        await new CaiTokenClient(Client, Fixture.Token).ApproveAsync(Sender(role), Fixture.Staking, BigInteger.Pow(2, 256) - 1);

    protected async Task<TransactionOutcome> StakeAsync(string role, long tokens) => await Staking.StakeAsync(Sender(role), Cai.Tokens(tokens));

    protected async Task MineAsync(int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            await Client.CallAsync("evm_mine");
        }
    }

    /// <summary>The next contract event the probe gets, skipping freshness notices.</summary>
    protected static Task<IChainEvent> NextEventAsync(TestProbe probe) => probe.FishForMessageAsync<IChainEvent>(_ => true, Wait);
}
