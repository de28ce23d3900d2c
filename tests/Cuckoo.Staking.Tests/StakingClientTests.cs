using System.Numerics;
using Cuckoo.Chain;
using Xunit;

namespace Cuckoo.Staking.Tests;

[Collection("hardhat")]
public sealed class StakingClientTests(HardhatFixture fixture) : StakingTestBase(fixture)
{
    [Fact]
    public async Task Deployment_exposes_parameters_and_funds_demo_accounts()
    {
        var parameters = await Staking.GetParametersAsync();
        Assert.Equal(new StakingParameters { Treasury = AddressOf("treasury") }, parameters);
        Assert.Equal(Fixture.Token, await Staking.TokenAsync());
        Assert.Equal(1_000, await Staking.DefaultCommissionBpsAsync());
        Assert.Equal("CAI", await Token.SymbolAsync());
        Assert.Equal("Cuckoo AI", await Token.NameAsync());
        Assert.Equal(18, await Token.DecimalsAsync());
        Assert.Equal(AddressOf("deployer"), await Token.OwnerAsync());
        Assert.True(await Token.FaucetEnabledAsync());
        Assert.Equal(TimeSpan.FromHours(1), await Token.FaucetCooldownAsync());
        Assert.Equal(Cai.Tokens(2_500_000), await Token.FaucetAmountAsync());
        foreach (var role in new[] { "coordinator-staker", "coordinator", "miner-1-staker", "miner-2-staker", "voter-1", "voter-2" })
        {
            Assert.Equal(Cai.Tokens(2_500_000), await Token.BalanceOfAsync(AddressOf(role)));
            Assert.NotNull(await Token.LastFaucetAtAsync(AddressOf(role)));
            Assert.NotNull(await Token.FaucetAvailableAtAsync(AddressOf(role)));
        }
        Assert.Equal(BigInteger.Zero, await Token.BalanceOfAsync(AddressOf("miner-1")));
        Assert.Null(await Token.FaucetAvailableAtAsync(AddressOf("miner-1")));
    }

    [Fact]
    public async Task Stake_register_vote_reward_and_claim_through_the_typed_client()
    {
        await ApproveStakingAsync("miner-1-staker");
        var staked = await Staking.StakeAsync(Sender("miner-1-staker"), Cai.Tokens(30_000));
        Assert.Equal(new Staked(AddressOf("miner-1-staker"), Cai.Tokens(30_000), Cai.Tokens(30_000)), staked.Single<Staked>() with { Position = null });
        var transfer = staked.Single<TokenTransferred>();
        Assert.Equal((AddressOf("miner-1-staker"), Fixture.Staking), (transfer.From, transfer.To));

        var registered = await Staking.RegisterMinerAsync(Sender("miner-1-staker"), AddressOf("miner-1"), "gpu box");
        Assert.Equal("gpu box", registered.Single<MinerRegistered>().Intro);
        Assert.Equal(AddressOf("miner-1"), registered.Single<RegistrationActivated>().Candidate);
        Assert.True(registered.Single<WeightChanged>().Active);
        Assert.Equal(AddressOf("miner-1"), await Staking.RegistrationOfAsync(AddressOf("miner-1-staker")));
        Assert.Null(await Staking.RegistrationOfAsync(AddressOf("voter-1")));

        await Staking.SetCommissionAsync(Sender("miner-1-staker"), 2_000);
        await StakeAsync("voter-1", 10_000);
        var voted = await Staking.VoteAsync(Sender("voter-1"), AddressOf("miner-1"), Cai.Tokens(10_000));
        Assert.Equal(Cai.Tokens(40_000), voted.Single<WeightChanged>().Weight);

        var candidate = await Staking.CandidateOfAsync(AddressOf("miner-1"));
        Assert.Equal(
            new CandidateInfo(AddressOf("miner-1"), CandidateKind.Miner, AddressOf("miner-1-staker"), true, true, Cai.Tokens(30_000),
                Cai.Tokens(10_000), Cai.Tokens(40_000), 2_000, "gpu box"),
            candidate);
        Assert.True(await Staking.IsActiveMinerAsync(AddressOf("miner-1")));
        Assert.Equal(Cai.Tokens(10_000), await Staking.VoteOfAsync(AddressOf("voter-1"), AddressOf("miner-1")));
        Assert.Equal(Cai.Tokens(10_000), await Staking.VoteSharesOfAsync(AddressOf("miner-1"), AddressOf("voter-1")));

        await RegisterCoordinatorAsync();
        Assert.True(await Staking.IsActiveCoordinatorAsync(AddressOf("coordinator")));
        await ApproveStakingAsync("coordinator");
        var deposited = await Staking.DepositRewardAsync(Sender("coordinator"), AddressOf("miner-1"), Cai.Tokens(1_000));
        var reward = deposited.Single<RewardDeposited>();
        Assert.Equal((Cai.Tokens(200), Cai.Tokens(800)), (reward.Commission, reward.ToVoters));
        Assert.Equal(Cai.Tokens(800), await Staking.ClaimableAsync(AddressOf("voter-1"), [AddressOf("miner-1")]));
        Assert.Equal(Cai.Tokens(200), await Staking.RewardsOfAsync(AddressOf("miner-1-staker")));

        var before = await Token.BalanceOfAsync(AddressOf("voter-1"));
        var claimed = await Staking.ClaimAsync(Sender("voter-1"), [AddressOf("miner-1")]);
        Assert.Equal(Cai.Tokens(800), claimed.Single<RewardsClaimed>().Amount);
        Assert.Equal(before + Cai.Tokens(800), await Token.BalanceOfAsync(AddressOf("voter-1")));

        var unvoted = await Staking.UnvoteAsync(Sender("voter-1"), AddressOf("miner-1"), Cai.Tokens(4_000));
        Assert.Equal(Cai.Tokens(4_000), unvoted.Single<Unvoted>().Amount);
        Assert.Equal(Cai.Tokens(6_000), await Staking.VotesForAsync(AddressOf("miner-1")));
        Assert.Equal(Cai.Tokens(36_000), await Staking.WeightOfAsync(AddressOf("miner-1")));

        // The same history, read back from the chain in order.
        var head = await Client.GetBlockNumberAsync();
        var history = await Staking.GetEventsAsync(Fixture.DeployBlock, head);
        Assert.Equal(
            ["Staked", "MinerRegistered", "RegistrationActivated", "WeightChanged", "CommissionChanged"],
            history.Take(5).Select(e => e.GetType().Name));
        Assert.Contains(history, e => e is RewardDeposited r && r.Miner == AddressOf("miner-1"));
        Assert.True(history.Zip(history.Skip(1)).All(p =>
            (p.First.Position!.BlockNumber, p.First.Position.LogIndex).CompareTo((p.Second.Position!.BlockNumber, p.Second.Position.LogIndex)) < 0));
        var tokenHistory = await Token.GetEventsAsync(Fixture.DeployBlock, head);
        Assert.Contains(tokenHistory, e => e is FaucetUsed f && f.Recipient == AddressOf("voter-2"));
    }

    [Fact]
    public async Task Slash_cuts_stake_and_votes_and_pays_reporter_and_treasury()
    {
        await RegisterMinerAsync(30_000);
        await StakeAsync("voter-1", 5_000);
        await Staking.VoteAsync(Sender("voter-1"), AddressOf("miner-1"), Cai.Tokens(5_000));
        await RegisterCoordinatorAsync();
        var evidence = Keccak256.Hash("task 42: digest mismatch");
        var treasuryBefore = await Token.BalanceOfAsync(AddressOf("treasury"));
        var reporterBefore = await Token.BalanceOfAsync(AddressOf("coordinator"));

        var outcome = await Staking.SlashAsync(Sender("coordinator"), AddressOf("miner-1"), 1_000, evidence);

        var slashed = outcome.Single<Slashed>();
        Assert.Equal(Hex.Encode(evidence), slashed.EvidenceHash);
        Assert.Equal((Cai.Tokens(3_000), BigInteger.Zero, Cai.Tokens(500)), (slashed.FromStake, slashed.FromUnbonding, slashed.FromVotes));
        Assert.Equal(Cai.Tokens(350), slashed.ReporterReward);
        Assert.Equal(Cai.Tokens(3_150), slashed.ToTreasury);
        Assert.Equal(reporterBefore + Cai.Tokens(350), await Token.BalanceOfAsync(AddressOf("coordinator")));
        Assert.Equal(treasuryBefore + Cai.Tokens(3_150), await Token.BalanceOfAsync(AddressOf("treasury")));
        Assert.Equal(Cai.Tokens(27_000), await Staking.StakeOfAsync(AddressOf("miner-1-staker")));
        Assert.Equal(Cai.Tokens(4_500), await Staking.VoteOfAsync(AddressOf("voter-1"), AddressOf("miner-1")));
        Assert.Equal(1_000, await Staking.SlashedBpsInEpochAsync(AddressOf("miner-1"), await Staking.CurrentEpochAsync()));
        Assert.Equal(Cai.Tokens(27_000 + 4_500 + 2_000_000), await Staking.TotalBondedAsync());
        Assert.Throws<ArgumentException>(() => { _ = Staking.SlashAsync(Sender("coordinator"), AddressOf("miner-1"), 1, [1, 2, 3]); });
    }

    [Fact]
    public async Task Unbonded_stake_is_withdrawn_only_after_the_period()
    {
        await StakeAsync("voter-2", 100);
        var requested = await Staking.RequestUnstakeAsync(Sender("voter-2"), Cai.Tokens(40));
        var releaseAt = requested.Single<UnstakeRequested>().ReleaseAt;
        Assert.Equal(new Unbonding(Cai.Tokens(40), releaseAt), await Staking.UnbondingOfAsync(AddressOf("voter-2")));
        var early = await RevertsAsync(() => Staking.WithdrawAsync(Sender("voter-2")), "UnbondingNotFinished");
        Assert.Contains(releaseAt.ToString("u"), early.Message);
        var now = await IncreaseTimeAsync(TimeSpan.FromDays(7));
        Assert.True(now >= releaseAt);
        var withdrawn = await Staking.WithdrawAsync(Sender("voter-2"));
        Assert.Equal(Cai.Tokens(40), withdrawn.Single<Withdrawn>().Amount);
        Assert.Equal(new Unbonding(BigInteger.Zero, null), await Staking.UnbondingOfAsync(AddressOf("voter-2")));
    }

    [Fact]
    public async Task Every_remaining_event_decodes_into_its_record()
    {
        await StakeAsync("coordinator-staker", 2_000_000);
        var registered = await Staking.RegisterCoordinatorAsync(Sender("coordinator-staker"), AddressOf("coordinator"), "c1");
        Assert.Equal(new CoordinatorRegistered(AddressOf("coordinator-staker"), AddressOf("coordinator"), "c1"),
            registered.Single<CoordinatorRegistered>() with { Position = null });
        Assert.Equal(registered.BlockNumber, registered.Single<CoordinatorRegistered>().Position!.BlockNumber);
        Assert.Equal(registered.TransactionHash, registered.Single<CoordinatorRegistered>().Position!.TransactionHash);

        var commission = await Staking.SetCommissionAsync(Sender("coordinator-staker"), 1_234);
        Assert.Equal(1_234, commission.Single<CommissionChanged>().Bps);
        Assert.Equal(1_234, await Staking.CommissionOfAsync(AddressOf("coordinator-staker")));

        var unstaked = await Staking.RequestUnstakeAsync(Sender("coordinator-staker"), 1);
        var deactivated = unstaked.Single<RegistrationDeactivated>();
        Assert.Equal((AddressOf("coordinator"), Cai.Tokens(2_000_000) - 1, Cai.Tokens(2_000_000)),
            (deactivated.Candidate, deactivated.SelfStake, deactivated.Minimum));
        Assert.False(unstaked.Single<WeightChanged>().Active);

        var deregistered = await Staking.DeregisterAsync(Sender("coordinator-staker"));
        Assert.Equal(AddressOf("coordinator"), deregistered.Single<Deregistered>().Candidate);
        Assert.False((await Staking.CandidateOfAsync(AddressOf("coordinator"))).Registered);

        var approved = await Token.ApproveAsync(Sender("voter-1"), AddressOf("voter-2"), 77);
        Assert.Equal(new TokenApproved(AddressOf("voter-1"), AddressOf("voter-2"), 77), approved.Single<TokenApproved>() with { Position = null });
        await Token.TransferFromAsync(Sender("voter-2"), AddressOf("voter-1"), AddressOf("miner-1"), 70);
        Assert.Equal(new BigInteger(7), await Token.AllowanceAsync(AddressOf("voter-1"), AddressOf("voter-2")));

        var toggled = await Token.SetFaucetEnabledAsync(Sender("deployer"), false);
        Assert.False(toggled.Single<FaucetToggled>().Enabled);
        await RevertsAsync(() => Token.FaucetAsync(Sender("miner-1")), "FaucetDisabled");
        await Token.SetFaucetEnabledAsync(Sender("deployer"), true);
        var used = await Token.FaucetAsync(Sender("miner-1"));
        Assert.Equal(Cai.Tokens(2_500_000), used.Single<FaucetUsed>().Amount);

        var moved = await Token.TransferOwnershipAsync(Sender("deployer"), AddressOf("treasury"));
        Assert.Equal(new TokenOwnershipTransferred(AddressOf("deployer"), AddressOf("treasury")), moved.Single<TokenOwnershipTransferred>() with { Position = null });
        Assert.Equal(Cai.Tokens(1_000_000_000) + 7 * Cai.Tokens(2_500_000), await Token.TotalSupplyAsync());
    }

    [Fact]
    public async Task Revert_reasons_surface_as_clear_exceptions()
    {
        await StakeAsync("miner-2-staker", 19_999);
        var below = await RevertsAsync(
            () => Staking.RegisterMinerAsync(Sender("miner-2-staker"), AddressOf("miner-2"), ""), "BelowMinimum");
        Assert.Equal("CuckooStaking.registerMiner failed: self-stake 19999 CAI is below the minimum 20000 CAI (BelowMinimum)", below.Message);
        Assert.Equal([Cai.Tokens(19_999), Cai.Tokens(20_000)], below.ErrorArgs.Cast<BigInteger>());

        // The token's error bubbles up through the staking contract and is still named.
        var allowance = await RevertsAsync(() => Staking.StakeAsync(Sender("voter-2"), Cai.Tokens(1)), "InsufficientAllowance");
        Assert.Contains("insufficient CAI allowance", allowance.Message);

        await RevertsAsync(() => Staking.WithdrawAsync(Sender("voter-2")), "NothingToWithdraw");
        await RevertsAsync(() => Staking.StakeAsync(Sender("miner-2-staker"), BigInteger.Zero), "ZeroAmount");
        await RevertsAsync(() => Staking.RegisterMinerAsync(Sender("miner-2-staker"), AddressOf("miner-2-staker"), ""), "SelfRegistration");
        await RevertsAsync(() => Staking.SlashAsync(Sender("voter-1"), AddressOf("miner-2"), 100, new byte[32]), "NotActiveCoordinator");
        await RevertsAsync(() => Staking.ClaimAsync(Sender("voter-1"), []), "NothingToClaim");
        await RevertsAsync(() => Staking.SetCommissionAsync(Sender("voter-1"), 10_001), "InvalidBps");
        var cooldown = await RevertsAsync(() => Token.FaucetAsync(Sender("voter-1")), "FaucetCooldown");
        Assert.Contains("cooling down", cooldown.Message);
        await RevertsAsync(() => Token.SetFaucetEnabledAsync(Sender("voter-1"), false), "NotOwner");
        await RevertsAsync(() => Token.TransferAsync(Sender("miner-1"), AddressOf("voter-1"), 1), "InsufficientBalance");
    }

    [Fact]
    public async Task Concurrent_sends_from_one_account_get_distinct_nonces_and_all_land()
    {
        const int count = 12;
        var sender = Sender("voter-1");
        var recipient = AddressOf("miner-2");
        var nonceBefore = await Client.GetTransactionCountAsync(sender.Address);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, count).Select(i => Token.TransferAsync(sender, recipient, i)));

        Assert.All(outcomes, o => Assert.True(o.Receipt.Succeeded));
        Assert.Equal(count, outcomes.Select(o => o.TransactionHash).Distinct().Count());
        Assert.Equal(nonceBefore + count, await Client.GetTransactionCountAsync(sender.Address));
        Assert.Equal(new BigInteger(count * (count + 1) / 2), await Token.BalanceOfAsync(recipient));
    }

    [Fact]
    public async Task Sends_wait_for_the_requested_confirmations()
    {
        // A client that never mines by itself: the send waits until someone else mines.
        using var patient = new ChainClient(Fixture.Node.RpcUrl, new ChainClientOptions { DevnetMining = DevnetMining.Never });
        var confirmed = new CaiTokenClient(patient, Fixture.Token, new ContractClientOptions { Confirmations = 3 });
        var recipient = AddressOf("miner-2");
        var send = confirmed.TransferAsync(new TransactionSender(patient, Account("voter-2").Key), recipient, Cai.Tokens(1));

        // Hardhat mines the transaction at once; the send must still wait for two more blocks.
        await PollAsync(async () => await Token.BalanceOfAsync(recipient) == Cai.Tokens(1));
        Assert.False(send.IsCompleted);
        await Client.CallAsync("evm_mine");
        await Client.CallAsync("evm_mine");
        var outcome = await send.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await Client.GetBlockNumberAsync() >= outcome.BlockNumber + 2);
    }

    [Fact]
    public async Task Approve_and_stake_with_five_confirmations_end_on_an_automining_devnet()
    {
        // `cuckoo stake … --confirmations 5` used to hang here: Hardhat mines only when someone sends.
        var options = new ContractClientOptions { Confirmations = 5, ReceiptTimeout = TimeSpan.FromSeconds(60) };
        var token = new CaiTokenClient(Client, Fixture.Token, options);
        var staking = new CuckooStakingClient(Client, Fixture.Staking, options, Fixture.Token);
        var sender = Sender("voter-1");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var approved = await token.ApproveAsync(sender, Fixture.Staking, Cai.Tokens(10)).WaitAsync(TimeSpan.FromSeconds(60));
        var staked = await staking.StakeAsync(sender, Cai.Tokens(10)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(await Client.GetBlockNumberAsync() >= staked.BlockNumber + 4);
        Assert.True(staked.BlockNumber >= approved.BlockNumber + 5);
        Assert.Equal(Cai.Tokens(10), staked.Single<Staked>().Amount);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task A_send_no_one_confirms_ends_at_the_deadline_with_its_hash()
    {
        using var patient = new ChainClient(Fixture.Node.RpcUrl, new ChainClientOptions { DevnetMining = DevnetMining.Never });
        var token = new CaiTokenClient(patient, Fixture.Token, new ContractClientOptions { Confirmations = 3, ReceiptTimeout = TimeSpan.FromSeconds(2) });
        var ex = await Assert.ThrowsAsync<TransactionUnconfirmedException>(() =>
            token.TransferAsync(new TransactionSender(patient, Account("voter-2").Key), AddressOf("miner-2"), 5));
        Assert.Equal(1, ex.ConfirmationsSeen);
        Assert.Matches("^Transaction 0x[0-9a-f]{64} was sent but is unconfirmed: it has 1 of 3 confirmations after", ex.Message);
        // It was mined all the same.
        Assert.Equal(new BigInteger(5), await Token.BalanceOfAsync(AddressOf("miner-2")));
        Assert.NotNull(await Client.GetTransactionReceiptAsync(ex.TransactionHash));
    }

    [Fact]
    public async Task A_reverting_send_that_hardhat_mines_anyway_leaves_the_nonce_usable()
    {
        var sender = Sender("miner-1");
        var nonce = await Client.GetTransactionCountAsync(sender.Address);
        // A fixed gas limit skips estimation, so the node gets a transaction that reverts (miner-1 holds no CAI).
        var transfer = new Contracts.CaiToken.TransferFunction { To = AddressOf("voter-1").ToString(), Value = 1 };
        var request = new TransactionRequest { To = Fixture.Token, Data = Nethereum.Contracts.FunctionMessageExtensions.GetCallData(transfer), GasLimit = 100_000 };
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAndWaitAsync(request, errors: CaiTokenClient_Errors));
        Assert.True(failed is ContractRevertException or TransactionFailedException, failed.GetType().Name + ": " + failed.Message);
        Assert.Contains("InsufficientBalance", failed.Message);
        Assert.Equal(nonce + 1, await Client.GetTransactionCountAsync(sender.Address));
        // The next send re-reads the nonce instead of reusing the spent one.
        await Token.FaucetAsync(sender);
        Assert.Equal(Cai.Tokens(2_500_000), await Token.BalanceOfAsync(sender.Address));
    }

    private static readonly IReadOnlyList<Type> CaiTokenClient_Errors = Contracts.CaiToken.CaiTokenTypes.Errors;

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }
}
