using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Staking;
using Xunit;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Tests.Trust.Chain;

/// <summary>The twin the simulation runs on, held to the contract's conformance suite, plus what only the twin shows.</summary>
public sealed class InMemoryTrustChainTests : TrustChainConformance
{
    private static readonly BigInteger Stake = Cai.Tokens(30_000);
    private readonly InMemoryTrustChain _chain;

    public InMemoryTrustChainTests()
    {
        Coordinator = EthKey.Generate();
        Typed = new StakingTypedData(31337, EthKey.Generate().Address);
        _chain = new InMemoryTrustChain(Typed, Coordinator.Address);
        Accused = NewMiner();
        Witnesses = [NewMiner(), NewMiner(), NewMiner()];
    }

    protected override ITrustChain Chain => _chain;

    protected override StakingTypedData Typed { get; }

    protected override EthKey Coordinator { get; }

    protected override TrustMiner Accused { get; }

    protected override IReadOnlyList<TrustMiner> Witnesses { get; }

    protected override int SlashBps => _chain.Settings.SlashBps;

    protected override int MaxSlashBpsPerEpoch => _chain.Settings.MaxSlashBpsPerEpoch;

    protected override Task<BigInteger> StakeOfAsync(Address staker) => Task.FromResult(_chain.StakeOf(staker));

    protected override Task<BigInteger> ClaimableAsync(TrustMiner miner) => Task.FromResult(_chain.ClaimableOf(miner.Staker));

    protected override Task<bool> EvidenceUsedAsync(string evidenceId) =>
        Task.FromResult(_chain.Slashes.Any(s => string.Equals(s.EvidenceId, evidenceId, StringComparison.OrdinalIgnoreCase)));

    protected override Task NextEpochAsync()
    {
        _chain.Epoch++;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_slash_is_recorded_with_its_evidence_id_and_the_reward_tally_per_miner()
    {
        var evidence = Evidence(NewTaskId(), Witnesses.Take(2));

        Assert.True((await _chain.SlashAsync(evidence, CancellationToken.None)).Succeeded);
        Assert.True((await _chain.DepositRewardAsync(Witnesses[0].Address, Cai.Tokens(7), CancellationToken.None)).Succeeded);

        var slash = Assert.Single(_chain.Slashes);
        Assert.Equal((evidence.EvidenceId, Accused.Address, Accused.Staker, 1_000, Cai.Tokens(3_000)), (slash.EvidenceId, slash.Miner, slash.Staker, slash.Bps, slash.Burned));
        Assert.Equal(Cai.Tokens(7), _chain.RewardsOf(Witnesses[0].Address));
        Assert.Equal(BigInteger.Zero, _chain.RewardsOf(Accused.Address));
    }

    [Fact]
    public async Task A_chain_whose_coordinator_is_not_active_refuses_slashes_and_deposits()
    {
        _chain.CoordinatorActive = false;

        var slash = await _chain.SlashAsync(Evidence(NewTaskId(), Witnesses.Take(2)), CancellationToken.None);
        var deposit = await _chain.DepositRewardAsync(Witnesses[0].Address, Cai.Tokens(1), CancellationToken.None);

        Assert.Equal($"NotActiveCoordinator: {Coordinator.Address} is not an active coordinator", slash.Error);
        Assert.Equal(slash.Error, deposit.Error);
    }

    [Fact]
    public async Task A_miner_slashed_to_the_minimum_is_no_longer_active_and_earns_nothing()
    {
        var chain = new InMemoryTrustChain(Typed, Coordinator.Address, new InMemoryTrustChainSettings { MinMinerStake = Cai.Tokens(28_000) });
        chain.AddMiner(Accused.Address, Accused.Staker, Stake);
        foreach (var w in Witnesses)
        {
            chain.AddMiner(w.Address, w.Staker, Stake);
        }

        Assert.True((await chain.SlashAsync(Evidence(NewTaskId(), Witnesses.Take(2)), CancellationToken.None)).Succeeded);

        var deposit = await chain.DepositRewardAsync(Accused.Address, Cai.Tokens(1), CancellationToken.None);
        Assert.StartsWith("InactiveMiner: ", deposit.Error);
    }

    private TrustMiner NewMiner()
    {
        var miner = new TrustMiner(EthKey.Generate(), EthKey.Generate().Address);
        _chain.AddMiner(miner.Address, miner.Staker, Stake);
        return miner;
    }
}
