using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.Staking.Tests;

[Collection("hardhat")]
public sealed class DevnetFaucetTests(HardhatFixture fixture) : StakingTestBase(fixture)
{
    [Fact]
    public async Task A_brand_new_key_gets_gas_and_cai_in_one_call()
    {
        var key = EthKey.Generate();
        Assert.Equal(BigInteger.Zero, await Client.GetBalanceAsync(key.Address));

        var result = await DevnetFaucet.FundAsync(Token, key);

        Assert.Equal(DevnetFaucet.DefaultGasFunding, result.EthSent);
        Assert.NotNull(result.EthTransactionHash);
        Assert.Equal(Cai.Tokens(2_500_000), result.CaiReceived);
        Assert.Equal(Cai.Tokens(2_500_000), await Token.BalanceOfAsync(key.Address));
        var eth = await Client.GetBalanceAsync(key.Address);
        Assert.True(eth > DevnetFaucet.DefaultGasFunding * 9 / 10 && eth < DevnetFaucet.DefaultGasFunding, $"{eth} wei left after the faucet call");

        // The new key can now stake on its own.
        await Token.ApproveAsync(new TransactionSender(Client, key), Fixture.Staking, Cai.Tokens(20_000));
        await Staking.StakeAsync(new TransactionSender(Client, key), Cai.Tokens(20_000));
        Assert.Equal(Cai.Tokens(20_000), await Staking.StakeOfAsync(key.Address));

        // A second call within the cooldown sends no ETH (it has enough) and says when to come back.
        var again = await Assert.ThrowsAsync<StakingRevertException>(() => DevnetFaucet.FundAsync(Token, key));
        Assert.Equal("FaucetCooldown", again.ErrorName);
        Assert.Contains("cooling down", again.Message);
        Assert.True(await Client.GetBalanceAsync(key.Address) < eth);
    }

    [Fact]
    public async Task Moving_devnet_time_lets_unbonding_finish()
    {
        await StakeAsync("voter-2", 50);
        var requested = await Staking.RequestUnstakeAsync(Sender("voter-2"), Cai.Tokens(50));
        var releaseAt = requested.Single<UnstakeRequested>().ReleaseAt;
        await RevertsAsync(() => Staking.WithdrawAsync(Sender("voter-2"), Address.Zero), "UnbondingNotFinished");

        var now = await Client.IncreaseTimeAsync(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        Assert.True(now >= releaseAt, $"{now} is before {releaseAt}");
        Assert.Equal(Cai.Tokens(50), (await Staking.WithdrawAsync(Sender("voter-2"), Address.Zero)).Single<Withdrawn>().Amount);
    }
}
