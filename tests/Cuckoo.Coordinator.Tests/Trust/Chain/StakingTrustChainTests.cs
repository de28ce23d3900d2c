using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Staking;
using Cuckoo.Staking.Devnet;
using Xunit;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Tests.Trust.Chain;

/// <summary>
/// The conformance suite against CuckooStaking on a real Hardhat devnet. Each test runs on a chain snapshot reverted
/// afterwards, with its own RPC client (and so its own nonces).
/// </summary>
public sealed class StakingTrustChainTests(TrustChainHardhatFixture fixture) : TrustChainConformance, IClassFixture<TrustChainHardhatFixture>, IAsyncLifetime
{
    private readonly ChainClient _client = new(fixture.Node.RpcUrl);
    private string _snapshot = "";
    private StakingParameters _parameters = new();

    private CuckooStakingClient StakingClient => new(_client, fixture.Staking, token: fixture.Token);

    private StakingTrustChain? _chain;

    protected override ITrustChain Chain =>
        _chain ??= new StakingTrustChain(StakingClient, new CaiTokenClient(_client, fixture.Token), new TransactionSender(_client, Coordinator));

    protected override StakingTypedData Typed => new(fixture.ChainId, fixture.Staking);

    protected override EthKey Coordinator => DevAccounts.ByRole("coordinator").Key;

    protected override TrustMiner Accused => fixture.Accused;

    protected override IReadOnlyList<TrustMiner> Witnesses => fixture.Witnesses;

    protected override int SlashBps => _parameters.SlashBps;

    protected override int MaxSlashBpsPerEpoch => _parameters.MaxSlashBpsPerEpoch;

    public async Task InitializeAsync()
    {
        _snapshot = await _client.CallAsync<string>("evm_snapshot");
        _parameters = await StakingClient.GetParametersAsync();
    }

    public async Task DisposeAsync()
    {
        await _client.CallAsync<bool>("evm_revert", _snapshot);
        _client.Dispose();
    }

    protected override Task<BigInteger> StakeOfAsync(Address staker) => StakingClient.StakeOfAsync(staker);

    protected override Task<BigInteger> ClaimableAsync(TrustMiner miner) => StakingClient.ClaimableAsync(miner.Staker, [miner.Address]);

    protected override Task<bool> EvidenceUsedAsync(string evidenceId) => StakingClient.EvidenceUsedAsync(Hex.Decode(evidenceId));

    protected override async Task NextEpochAsync()
    {
        var staking = StakingClient;
        var epoch = await staking.CurrentEpochAsync();
        var now = await _client.IncreaseTimeAsync(TimeSpan.Zero);
        var start = CuckooStakingClient.EpochStart(epoch + 1, _parameters.EpochLength);
        await _client.IncreaseTimeAsync(start - now + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_evidence_id_is_the_one_the_contract_emits_and_the_signed_evidence_verifies_off_chain()
    {
        var evidence = Evidence(NewTaskId(), Witnesses.Take(2));
        Assert.True(EvidenceBuilder.Verify(evidence, Typed));

        var outcome = await Chain.SlashAsync(evidence, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        var receipt = await _client.WaitForReceiptAsync(outcome.TransactionHash!);
        var slashed = Assert.Single(ContractEventDecoder.FromReceipt(receipt, fixture.Staking, fixture.Token).OfType<Slashed>());
        Assert.Equal(evidence.EvidenceId, slashed.EvidenceId, ignoreCase: true);
        Assert.Equal((Accused.Address, Coordinator.Address), (slashed.Candidate, slashed.Reporter));
    }

    [Fact]
    public async Task A_slash_sent_by_a_key_that_is_not_an_active_coordinator_is_refused()
    {
        var outsider = DevAccounts.ByRole("voter-1").Key;
        var chain = new StakingTrustChain(StakingClient, new CaiTokenClient(_client, fixture.Token), new TransactionSender(_client, outsider));

        var outcome = await chain.SlashAsync(Evidence(NewTaskId(), Witnesses.Take(2)), CancellationToken.None);

        Assert.Equal($"NotActiveCoordinator: {outsider.Address} is not an active coordinator", outcome.Error);
        Assert.False(outcome.Retryable);
    }

    [Fact]
    public async Task Concurrent_deposits_do_not_spend_each_others_allowance()
    {
        var claimable = await Task.WhenAll(Witnesses.Select(ClaimableAsync));

        var outcomes = await Task.WhenAll(Witnesses.Select((w, i) => Chain.DepositRewardAsync(w.Address, Cai.Tokens(10 + i), CancellationToken.None)));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error));
        Assert.Equal(claimable.Select((c, i) => c + Cai.Tokens(10 + i)), await Task.WhenAll(Witnesses.Select(ClaimableAsync)));
    }

    [Fact]
    public async Task An_unreachable_node_is_a_retryable_outcome_not_an_exception()
    {
        using var dead = new ChainClient(new Uri($"http://127.0.0.1:{HardhatNode.FreePort()}"), new ChainClientOptions { MaxRetries = 0 });
        var chain = new StakingTrustChain(
            new CuckooStakingClient(dead, fixture.Staking, token: fixture.Token), new CaiTokenClient(dead, fixture.Token), new TransactionSender(dead, Coordinator));

        var slash = await chain.SlashAsync(Evidence(NewTaskId(), Witnesses.Take(2)), CancellationToken.None);
        var deposit = await chain.DepositRewardAsync(Witnesses[0].Address, Cai.Tokens(1), CancellationToken.None);

        Assert.True(slash.Retryable, slash.Error);
        Assert.StartsWith("ChainUnavailable: ", slash.Error);
        Assert.True(deposit.Retryable, deposit.Error);
    }
}
