using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.Staking.Tests;

/// <summary>Each test runs on a chain snapshot that is reverted afterwards, with its own RPC client (and so its own nonces).</summary>
public abstract class StakingTestBase(HardhatFixture fixture) : IAsyncLifetime
{
    private string _snapshot = "";

    protected HardhatFixture Fixture { get; } = fixture;

    protected ChainClient Client { get; } = new(fixture.Node.RpcUrl);

    protected CaiTokenClient Token => new(Client, Fixture.Token);

    protected CuckooStakingClient Staking => new(Client, Fixture.Staking, token: Fixture.Token);

    protected static DevAccount Account(string role) => DevAccounts.ByRole(role);

    protected TransactionSender Sender(string role) => new(Client, Account(role).Key);

    protected static Address AddressOf(string role) => Account(role).Address;

    public async Task InitializeAsync() => _snapshot = await Client.CallAsync<string>("evm_snapshot");

    public async Task DisposeAsync()
    {
        await Client.CallAsync<bool>("evm_revert", _snapshot);
        Client.Dispose();
    }

    protected async Task ApproveStakingAsync(string role) =>
        await Token.ApproveAsync(Sender(role), Fixture.Staking, BigInteger.Pow(2, 256) - 1);

    protected async Task StakeAsync(string role, long tokens)
    {
        await ApproveStakingAsync(role);
        await Staking.StakeAsync(Sender(role), Cai.Tokens(tokens));
    }

    /// <summary>The contract's typed data on Hardhat's chain 31337.</summary>
    protected StakingTypedData Typed => new(31337, Fixture.Staking);

    /// <summary>The candidate key's consent to its registration by the staker, with the nonce the contract expects now.</summary>
    protected async Task<byte[]> ConsentAsync(EthKey candidate, Address staker, CandidateKind kind, string intro) =>
        Typed.SignRegistration(candidate, staker, kind, intro, await Staking.ConsentNonceOfAsync(candidate.Address));

    protected async Task RegisterCoordinatorAsync()
    {
        await StakeAsync("coordinator-staker", 2_100_000);
        var consent = await ConsentAsync(Account("coordinator").Key, AddressOf("coordinator-staker"), CandidateKind.Coordinator, "coordinator one");
        await Staking.RegisterCoordinatorAsync(Sender("coordinator-staker"), AddressOf("coordinator"), "coordinator one", CoordinatorUrl, consent);
    }

    protected const string CoordinatorUrl = "https://127.0.0.1:8443";

    protected async Task RegisterMinerAsync(long selfStake = 30_000, string stakerRole = "miner-1-staker", string minerRole = "miner-1")
    {
        await StakeAsync(stakerRole, selfStake);
        var consent = await ConsentAsync(Account(minerRole).Key, AddressOf(stakerRole), CandidateKind.Miner, "gpu box");
        await Staking.RegisterMinerAsync(Sender(stakerRole), AddressOf(minerRole), "gpu box", consent);
    }

    /// <summary>Moves devnet time to the start of the next epoch, where votes cast before start earning.</summary>
    protected async Task NextEpochAsync()
    {
        var epoch = await Staking.CurrentEpochAsync();
        var now = await IncreaseTimeAsync(TimeSpan.Zero);
        var start = CuckooStakingClient.EpochStart(epoch + 1, TimeSpan.FromDays(1));
        await IncreaseTimeAsync(start - now + TimeSpan.FromSeconds(1));
    }

    protected Task<DateTimeOffset> IncreaseTimeAsync(TimeSpan by) => Client.IncreaseTimeAsync(by);

    protected static async Task<StakingRevertException> RevertsAsync(Func<Task> action, string errorName)
    {
        var ex = await Assert.ThrowsAsync<StakingRevertException>(action);
        Assert.Equal(errorName, ex.ErrorName);
        return ex;
    }
}
