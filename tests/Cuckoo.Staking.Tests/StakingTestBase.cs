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

    protected async Task RegisterCoordinatorAsync()
    {
        await StakeAsync("coordinator-staker", 2_000_000);
        await Staking.RegisterCoordinatorAsync(Sender("coordinator-staker"), AddressOf("coordinator"), "coordinator one");
    }

    protected async Task RegisterMinerAsync(long selfStake = 30_000)
    {
        await StakeAsync("miner-1-staker", selfStake);
        await Staking.RegisterMinerAsync(Sender("miner-1-staker"), AddressOf("miner-1"), "gpu box");
    }

    protected Task<DateTimeOffset> IncreaseTimeAsync(TimeSpan by) => Client.IncreaseTimeAsync(by);

    protected static async Task<StakingRevertException> RevertsAsync(Func<Task> action, string errorName)
    {
        var ex = await Assert.ThrowsAsync<StakingRevertException>(action);
        Assert.Equal(errorName, ex.ErrorName);
        return ex;
    }
}
