using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Staking;
using Xunit;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Tests.Trust.Chain;

/// <summary>A miner key and the staker that registered it.</summary>
public sealed record TrustMiner(EthKey Key, Address Staker)
{
    public Address Address => Key.Address;
}

/// <summary>
/// What every <see cref="ITrustChain"/> must do, run against the staking contract on a Hardhat devnet and against the
/// in-memory twin: the world is a coordinator, an accused miner and three witness miners, each of its own staker.
/// </summary>
public abstract partial class TrustChainConformance
{
    protected const string Model = "sum-v1";

    protected abstract ITrustChain Chain { get; }

    protected abstract StakingTypedData Typed { get; }

    protected abstract EthKey Coordinator { get; }

    protected abstract TrustMiner Accused { get; }

    /// <summary>Three active miners of three stakers other than the accused's.</summary>
    protected abstract IReadOnlyList<TrustMiner> Witnesses { get; }

    protected abstract int SlashBps { get; }

    protected abstract int MaxSlashBpsPerEpoch { get; }

    protected abstract Task<BigInteger> StakeOfAsync(Address staker);

    /// <summary>What the miner's staker could claim for it now.</summary>
    protected abstract Task<BigInteger> ClaimableAsync(TrustMiner miner);

    protected abstract Task<bool> EvidenceUsedAsync(string evidenceId);

    /// <summary>Moves to the start of the next epoch, where the slash cap starts over.</summary>
    protected abstract Task NextEpochAsync();

    private static readonly string Right = Digest("the right sum");
    private static readonly string Wrong = Digest("a wrong sum");

    [Fact]
    public async Task Min_witnesses_is_two_as_deployed()
    {
        Assert.Equal(2, await Chain.MinWitnessesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Valid_evidence_slashes_the_accused_staker_by_slash_bps_and_no_one_else()
    {
        var evidence = Evidence(NewTaskId(), Witnesses.Take(2));
        var before = await StakeOfAsync(Accused.Staker);
        var witnessesBefore = await Task.WhenAll(Witnesses.Select(w => StakeOfAsync(w.Staker)));

        var outcome = await Chain.SlashAsync(evidence, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.NotNull(outcome.TransactionHash);
        Assert.Equal(before - before * SlashBps / 10_000, await StakeOfAsync(Accused.Staker));
        Assert.Equal(witnessesBefore, await Task.WhenAll(Witnesses.Select(w => StakeOfAsync(w.Staker))));
        Assert.True(await EvidenceUsedAsync(evidence.EvidenceId));
    }

    [Fact]
    public async Task Reused_evidence_is_refused_for_good()
    {
        var evidence = Evidence(NewTaskId(), Witnesses.Take(2));
        Assert.True((await Chain.SlashAsync(evidence, CancellationToken.None)).Succeeded);
        var once = await StakeOfAsync(Accused.Staker);

        var again = await Chain.SlashAsync(evidence, CancellationToken.None);

        Refused(again, "EvidenceAlreadyUsed", retryable: false);
        Assert.Contains(evidence.EvidenceId, again.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(once, await StakeOfAsync(Accused.Staker));
    }

    [Fact]
    public async Task Too_few_witnesses_are_refused()
    {
        var outcome = await Chain.SlashAsync(Evidence(NewTaskId(), Witnesses.Take(1)), CancellationToken.None);

        Refused(outcome, "NotEnoughWitnesses", retryable: false);
        Assert.Equal("NotEnoughWitnesses: 1 witness results given, at least 2 needed", outcome.Error);
    }

    [Fact]
    public async Task A_witness_of_the_accused_staker_is_refused()
    {
        var taskId = NewTaskId();
        var evidence = Evidence(taskId, Witnesses.Take(2)) with
        {
            Witnesses = [Accused.Address, Witnesses[0].Address],
            WitnessSignatures = [Sign(Accused, taskId, Right), Sign(Witnesses[0], taskId, Right)],
        };

        var outcome = await Chain.SlashAsync(evidence, CancellationToken.None);

        Refused(outcome, "DuplicateStaker", retryable: false);
        Assert.Contains(Accused.Staker.ToString(), outcome.Error);
    }

    [Fact]
    public async Task A_witness_counted_twice_is_refused_as_a_duplicate_staker()
    {
        var evidence = Evidence(NewTaskId(), Witnesses.Take(2));
        evidence = evidence with
        {
            Witnesses = [evidence.Witnesses[0], evidence.Witnesses[0]],
            WitnessSignatures = [evidence.WitnessSignatures[0], evidence.WitnessSignatures[0]],
        };

        var outcome = await Chain.SlashAsync(evidence, CancellationToken.None);

        Refused(outcome, "DuplicateStaker", retryable: false);
        Assert.Contains(Witnesses[0].Staker.ToString(), outcome.Error);
    }

    [Fact]
    public async Task A_witness_that_is_not_an_active_miner_is_refused()
    {
        var taskId = NewTaskId();
        var stranger = new TrustMiner(EthKey.Generate(), Address.Zero);
        var evidence = Evidence(taskId, Witnesses.Take(2)) with
        {
            Witnesses = [Witnesses[0].Address, stranger.Address],
            WitnessSignatures = [Sign(Witnesses[0], taskId, Right), Sign(stranger, taskId, Right)],
        };

        var outcome = await Chain.SlashAsync(evidence, CancellationToken.None);

        Refused(outcome, "WitnessNotActiveMiner", retryable: false);
        Assert.Contains(stranger.Address.ToString(), outcome.Error);
    }

    [Fact]
    public async Task Agreeing_outputs_are_refused()
    {
        var taskId = NewTaskId();
        var settled = Settle(taskId, Right, Witnesses.Take(2));
        Assert.Null(EvidenceBuilder.Build(Typed, Coordinator, settled, settled.Runs[0], DateTimeOffset.UnixEpoch));
        var evidence = Evidence(taskId, Witnesses.Take(2)) with { AccusedOutput = Right, AccusedSignature = Sign(Accused, taskId, Right) };

        var outcome = await Chain.SlashAsync(evidence, CancellationToken.None);

        Refused(outcome, "OutputsAgree", retryable: false);
    }

    [Fact]
    public async Task A_tampered_accused_signature_is_refused()
    {
        // The accused's signature kept while its output is swapped: it recovers to someone else.
        var evidence = Evidence(NewTaskId(), Witnesses.Take(2)) with { AccusedOutput = Digest("another wrong sum") };

        var outcome = await Chain.SlashAsync(evidence, CancellationToken.None);

        Refused(outcome, "WrongSigner", retryable: false);
        Assert.Contains($"not by {Accused.Address}", outcome.Error);
    }

    [Fact]
    public async Task A_malformed_accused_signature_is_refused()
    {
        var evidence = Evidence(NewTaskId(), Witnesses.Take(2));
        evidence = evidence with { AccusedSignature = evidence.AccusedSignature[..^2] + "1d" };

        Refused(await Chain.SlashAsync(evidence, CancellationToken.None), "InvalidSignature", retryable: false);
    }

    [Fact]
    public async Task A_slash_past_the_epoch_cap_is_retryable_and_taken_next_epoch()
    {
        await NextEpochAsync();
        var allowed = MaxSlashBpsPerEpoch / SlashBps;
        for (var i = 0; i < allowed; i++)
        {
            var taken = await Chain.SlashAsync(Evidence(NewTaskId(), Witnesses.Take(2)), CancellationToken.None);
            Assert.True(taken.Succeeded, taken.Error);
        }
        var stake = await StakeOfAsync(Accused.Staker);
        var evidence = Evidence(NewTaskId(), Witnesses.Skip(1).Take(2));

        var capped = await Chain.SlashAsync(evidence, CancellationToken.None);

        Refused(capped, "EpochSlashCapExceeded", retryable: true);
        Assert.Equal(
            $"EpochSlashCapExceeded: {allowed * SlashBps} bps already slashed this epoch, {SlashBps} more would pass the cap of {MaxSlashBpsPerEpoch}",
            capped.Error);
        Assert.Equal(stake, await StakeOfAsync(Accused.Staker));
        Assert.False(await EvidenceUsedAsync(evidence.EvidenceId));

        await NextEpochAsync();
        var retried = await Chain.SlashAsync(evidence, CancellationToken.None);
        Assert.True(retried.Succeeded, retried.Error);
        Assert.Equal(stake - stake * SlashBps / 10_000, await StakeOfAsync(Accused.Staker));
    }

    [Fact]
    public async Task A_reward_deposit_raises_the_miner_staker_claimable_rewards()
    {
        var miner = Witnesses[1];
        var claimable = await ClaimableAsync(miner);
        var other = await ClaimableAsync(Witnesses[0]);
        var balance = await Chain.RewardBalanceAsync(CancellationToken.None);
        var amount = Cai.Tokens(125);

        var outcome = await Chain.DepositRewardAsync(miner.Address, amount, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(claimable + amount, await ClaimableAsync(miner));
        Assert.Equal(balance - amount, await Chain.RewardBalanceAsync(CancellationToken.None));
        Assert.Equal(other, await ClaimableAsync(Witnesses[0]));
        // A second deposit works on the allowance the first left or approves again.
        Assert.True((await Chain.DepositRewardAsync(miner.Address, amount, CancellationToken.None)).Succeeded);
        Assert.Equal(claimable + 2 * amount, await ClaimableAsync(miner));
    }

    [Fact]
    public async Task A_deposit_is_found_from_the_mark_taken_before_it_and_not_from_one_taken_after()
    {
        var miner = Witnesses[1];
        // An amount no other test deposits, since the chain may be shared between tests.
        var amount = Cai.Tokens(71) + Random.Shared.Next(1, 1_000_000);
        var before = await Chain.DepositMarkAsync(CancellationToken.None);
        Assert.Equal(DepositSearch.NotFound, await Chain.FindDepositAsync(miner.Address, amount, before, CancellationToken.None));

        var outcome = await Chain.DepositRewardAsync(miner.Address, amount, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Error);
        var found = await Chain.FindDepositAsync(miner.Address, amount, before, CancellationToken.None);
        Assert.Equal(outcome.TransactionHash, found.TransactionHash, ignoreCase: true);
        Assert.False(found.Pending);
        var after = await Chain.DepositMarkAsync(CancellationToken.None);
        Assert.Equal(DepositSearch.NotFound, await Chain.FindDepositAsync(miner.Address, amount, after, CancellationToken.None));
        Assert.Equal(DepositSearch.NotFound, await Chain.FindDepositAsync(miner.Address, amount + 1, before, CancellationToken.None));
        Assert.Equal(DepositSearch.NotFound, await Chain.FindDepositAsync(Witnesses[0].Address, amount, before, CancellationToken.None));
    }

    [Fact]
    public async Task A_deposit_above_the_balance_fails_retryable_and_pays_nothing()
    {
        var miner = Witnesses[0];
        var balance = await Chain.RewardBalanceAsync(CancellationToken.None);
        var claimable = await ClaimableAsync(miner);

        var outcome = await Chain.DepositRewardAsync(miner.Address, balance + 1, CancellationToken.None);

        Refused(outcome, "InsufficientBalance", retryable: true);
        Assert.Equal(
            $"InsufficientBalance: {Coordinator.Address} has {Cai.Format(balance)} CAI, needs {Cai.Format(balance + 1)} CAI", outcome.Error);
        Assert.Equal(balance, await Chain.RewardBalanceAsync(CancellationToken.None));
        Assert.Equal(claimable, await ClaimableAsync(miner));
    }

    [Fact]
    public async Task A_deposit_for_an_address_that_is_no_miner_is_refused()
    {
        var stranger = EthKey.Generate().Address;

        var outcome = await Chain.DepositRewardAsync(stranger, Cai.Tokens(1), CancellationToken.None);

        Refused(outcome, "NotMiner", retryable: false);
        Assert.Equal($"NotMiner: {stranger} is not a registered miner", outcome.Error);
    }

    [Fact]
    public async Task A_zero_deposit_is_refused_by_the_contract_rule()
    {
        var outcome = await Chain.DepositRewardAsync(Witnesses[0].Address, BigInteger.Zero, CancellationToken.None);

        Refused(outcome, "ZeroAmount", retryable: false);
    }
}
