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

        var consent = await ConsentAsync(Account("miner-1").Key, AddressOf("miner-1-staker"), CandidateKind.Miner, "gpu box");
        var registered = await Staking.RegisterMinerAsync(Sender("miner-1-staker"), AddressOf("miner-1"), "gpu box", consent);
        Assert.Equal("gpu box", registered.Single<MinerRegistered>().Intro);
        Assert.Equal(AddressOf("miner-1"), registered.Single<RegistrationActivated>().Candidate);
        Assert.True(registered.Single<WeightChanged>().Active);
        Assert.Equal(AddressOf("miner-1"), await Staking.RegistrationOfAsync(AddressOf("miner-1-staker")));
        Assert.Null(await Staking.RegistrationOfAsync(AddressOf("voter-1")));

        var epoch = await Staking.CurrentEpochAsync();
        var scheduled = await Staking.SetCommissionAsync(Sender("miner-1-staker"), 1_500);
        Assert.Equal(epoch + 1, scheduled.Single<CommissionChanged>().EffectiveEpoch);
        Assert.Equal(new CommissionSchedule(1_000, 1_500, epoch + 1), await Staking.CommissionScheduleOfAsync(AddressOf("miner-1-staker")));
        await StakeAsync("voter-1", 10_000);
        var voted = await Staking.VoteAsync(Sender("voter-1"), AddressOf("miner-1"), Cai.Tokens(10_000));
        Assert.Equal(Cai.Tokens(40_000), voted.Single<WeightChanged>().Weight);
        Assert.Equal(epoch + 1, voted.Single<Voted>().EarningFromEpoch);
        Assert.Equal(new VotePosition(Cai.Tokens(10_000), Cai.Tokens(10_000), epoch + 1), await Staking.VotePositionOfAsync(AddressOf("voter-1"), AddressOf("miner-1")));
        Assert.Equal(new CandidatePools(Cai.Tokens(10_000), epoch + 1, 0), await Staking.PoolsOfAsync(AddressOf("miner-1")));
        await NextEpochAsync();
        Assert.Equal(new VotePosition(Cai.Tokens(10_000), 0, 0), await Staking.VotePositionOfAsync(AddressOf("voter-1"), AddressOf("miner-1")));

        var candidate = await Staking.CandidateOfAsync(AddressOf("miner-1"));
        Assert.Equal(
            new CandidateInfo(AddressOf("miner-1"), CandidateKind.Miner, AddressOf("miner-1-staker"), true, true, Cai.Tokens(30_000),
                Cai.Tokens(10_000), Cai.Tokens(40_000), 1_500, "gpu box"),
            candidate);
        Assert.True(await Staking.IsActiveMinerAsync(AddressOf("miner-1")));
        Assert.Equal(Cai.Tokens(10_000), await Staking.VoteOfAsync(AddressOf("voter-1"), AddressOf("miner-1")));
        Assert.Equal(Cai.Tokens(10_000), await Staking.VoteSharesOfAsync(AddressOf("miner-1"), AddressOf("voter-1")));

        await RegisterCoordinatorAsync();
        Assert.True(await Staking.IsActiveCoordinatorAsync(AddressOf("coordinator")));
        Assert.Equal(CoordinatorUrl, await Staking.UrlOfAsync(AddressOf("coordinator")));
        await ApproveStakingAsync("coordinator");
        var deposited = await Staking.DepositRewardAsync(Sender("coordinator"), AddressOf("miner-1"), Cai.Tokens(1_000));
        var reward = deposited.Single<RewardDeposited>();
        Assert.Equal((Cai.Tokens(150), Cai.Tokens(850)), (reward.Commission, reward.ToVoters));
        Assert.Equal(Cai.Tokens(850), await Staking.ClaimableAsync(AddressOf("voter-1"), [AddressOf("miner-1")]));
        Assert.Equal(Cai.Tokens(150), await Staking.RewardsOfAsync(AddressOf("miner-1-staker")));

        var before = await Token.BalanceOfAsync(AddressOf("voter-1"));
        var claimed = await Staking.ClaimAsync(Sender("voter-1"), [AddressOf("miner-1")]);
        Assert.Equal(Cai.Tokens(850), claimed.Single<RewardsClaimed>().Amount);
        Assert.Equal(before + Cai.Tokens(850), await Token.BalanceOfAsync(AddressOf("voter-1")));

        // Unvoting moves the amount into the candidate's unbonding pool for the unbonding period.
        var unvoted = (await Staking.UnvoteAsync(Sender("voter-1"), AddressOf("miner-1"), Cai.Tokens(4_000))).Single<Unvoted>();
        Assert.Equal((Cai.Tokens(4_000), Cai.Tokens(4_000)), (unvoted.Amount, unvoted.Unbonding));
        Assert.Equal(new Unbonding(AddressOf("miner-1"), Cai.Tokens(4_000), unvoted.ReleaseAt), await Staking.UnbondingOfAsync(AddressOf("voter-1"), AddressOf("miner-1")));
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
    public async Task The_typed_data_helper_hashes_like_the_contract()
    {
        var typed = await StakingTypedData.ForAsync(Staking);
        Assert.Equal(await Staking.DomainSeparatorAsync(), typed.DomainSeparator);
        var random = new Random(8);
        for (var i = 0; i < 3; i++)
        {
            var task = new StakingTask(Bytes(random), Bytes(random), Bytes(random));
            var output = Bytes(random);
            var coordinator = Address.FromBytes(Bytes(random)[..20]);
            Assert.Equal(await Staking.ResultDigestAsync(task, output, coordinator), typed.ResultDigest(task, output, coordinator));
            Assert.Equal(await Staking.AssignmentDigestAsync(task), typed.AssignmentDigest(task));
            var intro = i == 0 ? "" : "gpu box ✓ " + new string('x', 40 * i);
            var kind = i % 2 == 0 ? CandidateKind.Miner : CandidateKind.Coordinator;
            var nonce = BigInteger.Pow(2, 70 * i) + i;
            Assert.Equal(await Staking.RegistrationDigestAsync(coordinator, kind, intro, nonce), typed.RegistrationDigest(coordinator, kind, intro, nonce));
        }
        // Another contract or chain is another domain.
        Assert.NotEqual(typed.DomainSeparator, new StakingTypedData(1, Fixture.Staking).DomainSeparator);
        Assert.NotEqual(typed.DomainSeparator, new StakingTypedData(31337, Fixture.Token).DomainSeparator);
        Assert.Throws<ArgumentException>(() => typed.AssignmentDigest(new StakingTask([1, 2], new byte[32], new byte[32])));
    }

    [Fact]
    public async Task A_slash_built_in_csharp_from_signed_results_is_accepted_once_and_burns()
    {
        // The accused miner-1 and two witnesses of other stakers (miner-2, and a fresh key registered by voter-2).
        await RegisterMinerAsync(30_000);
        await RegisterMinerAsync(30_000, "miner-2-staker", "miner-2");
        var third = EthKey.Generate();
        await StakeAsync("voter-2", 30_000);
        await Staking.RegisterMinerAsync(Sender("voter-2"), third.Address, "third", await ConsentAsync(third, AddressOf("voter-2"), CandidateKind.Miner, "third"));
        await StakeAsync("voter-1", 5_000);
        await Staking.VoteAsync(Sender("voter-1"), AddressOf("miner-1"), Cai.Tokens(5_000));
        await RegisterCoordinatorAsync();

        var typed = Typed;
        var coordinator = Account("coordinator").Key;
        var task = new StakingTask(Keccak256.Hash("task 42"), Keccak256.Hash("model"), Keccak256.Hash("prompt"));
        var wrong = Keccak256.Hash("a wrong picture");
        var right = Keccak256.Hash("the right picture");
        var evidence = typed.Evidence(
            coordinator, task, wrong, typed.SignResult(Account("miner-1").Key, task, wrong, coordinator.Address), right,
            [typed.SignResult(Account("miner-2").Key, task, right, coordinator.Address), typed.SignResult(third, task, right, coordinator.Address)]);
        var supplyBefore = await Token.TotalSupplyAsync();
        var reporterBefore = await Token.BalanceOfAsync(AddressOf("coordinator"));

        var outcome = await Staking.SlashAsync(Sender("coordinator"), AddressOf("miner-1"), evidence);

        var slashed = outcome.Single<Slashed>();
        Assert.Equal((AddressOf("miner-1"), AddressOf("coordinator"), 1_000), (slashed.Candidate, slashed.Reporter, slashed.Bps));
        Assert.Equal((Cai.Tokens(3_000), BigInteger.Zero, Cai.Tokens(500), Cai.Tokens(3_500)), (slashed.FromStake, slashed.FromUnbonding, slashed.FromVotes, slashed.Burned));
        Assert.True(await Staking.EvidenceUsedAsync(Hex.Decode(slashed.EvidenceId)));
        Assert.Equal(supplyBefore - Cai.Tokens(3_500), await Token.TotalSupplyAsync());
        Assert.Equal(reporterBefore, await Token.BalanceOfAsync(AddressOf("coordinator")));
        Assert.Equal(Cai.Tokens(3_500), await Staking.TotalSlashedAsync());
        Assert.Equal(Cai.Tokens(27_000), await Staking.StakeOfAsync(AddressOf("miner-1-staker")));
        Assert.Equal(Cai.Tokens(4_500), await Staking.VoteOfAsync(AddressOf("voter-1"), AddressOf("miner-1")));
        Assert.Equal(1_000, await Staking.SlashedBpsInEpochAsync(AddressOf("miner-1-staker"), await Staking.CurrentEpochAsync()));

        var again = await RevertsAsync(() => Staking.SlashAsync(Sender("coordinator"), AddressOf("miner-1"), evidence), "EvidenceAlreadyUsed");
        Assert.Contains("was already used for a slash", again.Message);

        // Evidence the contract cannot verify is refused, each with its own error.
        var other = task with { TaskId = Keccak256.Hash("task 43") };
        var forged = typed.Evidence(coordinator, other, wrong, typed.SignResult(Account("miner-2").Key, other, wrong, coordinator.Address), right,
            [typed.SignResult(third, other, right, coordinator.Address), typed.SignResult(Account("miner-2").Key, other, right, coordinator.Address)]);
        var wrongSigner = await RevertsAsync(() => Staking.SlashAsync(Sender("coordinator"), AddressOf("miner-1"), forged), "WrongSigner");
        Assert.Contains($"not by {AddressOf("miner-1")}", wrongSigner.Message);
        var lonely = typed.Evidence(coordinator, other, wrong, typed.SignResult(Account("miner-1").Key, other, wrong, coordinator.Address), right,
            [typed.SignResult(third, other, right, coordinator.Address)]);
        await RevertsAsync(() => Staking.SlashAsync(Sender("coordinator"), AddressOf("miner-1"), lonely), "NotEnoughWitnesses");
    }

    [Fact]
    public async Task A_coordinator_that_signed_contradicting_assignments_is_slashed_by_anyone()
    {
        await RegisterCoordinatorAsync();
        var key = Account("coordinator").Key;
        var first = new StakingTask(Keccak256.Hash("task 7"), Keccak256.Hash("model a"), Keccak256.Hash("input"));
        var second = first with { ModelId = Keccak256.Hash("model b") };
        var outcome = await Staking.SlashCoordinatorAsync(Sender("voter-1"), AddressOf("coordinator"), first, Typed.SignAssignment(key, first), second, Typed.SignAssignment(key, second));
        Assert.Equal(Cai.Tokens(210_000), outcome.Single<Slashed>().Burned);
        await RevertsAsync(() => Staking.SlashCoordinatorAsync(Sender("voter-1"), AddressOf("coordinator"), first, Typed.SignAssignment(key, first), first, Typed.SignAssignment(key, first)), "AssignmentsAgree");
    }

    private static byte[] Bytes(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Unbonded_stake_is_withdrawn_only_after_the_period()
    {
        await StakeAsync("voter-2", 100);
        var requested = await Staking.RequestUnstakeAsync(Sender("voter-2"), Cai.Tokens(40));
        var releaseAt = requested.Single<UnstakeRequested>().ReleaseAt;
        Assert.Equal(Address.Zero, requested.Single<UnstakeRequested>().Candidate);
        Assert.Equal(new Unbonding(Address.Zero, Cai.Tokens(40), releaseAt), await Staking.UnbondingOfAsync(AddressOf("voter-2"), Address.Zero));
        var early = await RevertsAsync(() => Staking.WithdrawAsync(Sender("voter-2"), Address.Zero), "UnbondingNotFinished");
        Assert.Contains(releaseAt.ToString("u"), early.Message);
        var now = await IncreaseTimeAsync(TimeSpan.FromDays(7));
        Assert.True(now >= releaseAt);
        var withdrawn = await Staking.WithdrawAsync(Sender("voter-2"), Address.Zero);
        Assert.Equal(new Withdrawn(AddressOf("voter-2"), Address.Zero, Cai.Tokens(40)), withdrawn.Single<Withdrawn>() with { Position = null });
        Assert.Equal(new Unbonding(Address.Zero, BigInteger.Zero, null), await Staking.UnbondingOfAsync(AddressOf("voter-2"), Address.Zero));
    }

    [Fact]
    public async Task Every_remaining_event_decodes_into_its_record()
    {
        await ApproveStakingAsync("coordinator-staker");
        await Staking.StakeAsync(Sender("coordinator-staker"), Cai.Tokens(2_000_000) + 1);
        var consent = await ConsentAsync(Account("coordinator").Key, AddressOf("coordinator-staker"), CandidateKind.Coordinator, "c1");
        var registered = await Staking.RegisterCoordinatorAsync(Sender("coordinator-staker"), AddressOf("coordinator"), "c1", "https://c1.example:9443", consent);
        Assert.Equal(new CoordinatorRegistered(AddressOf("coordinator-staker"), AddressOf("coordinator"), "c1", "https://c1.example:9443"),
            registered.Single<CoordinatorRegistered>() with { Position = null });
        Assert.Equal(registered.BlockNumber, registered.Single<CoordinatorRegistered>().Position!.BlockNumber);
        Assert.Equal(registered.TransactionHash, registered.Single<CoordinatorRegistered>().Position!.TransactionHash);

        var url = await Staking.SetCoordinatorUrlAsync(Sender("coordinator-staker"), "https://c1.example:9444");
        Assert.Equal(new CoordinatorUrlChanged(AddressOf("coordinator"), "https://c1.example:9444"), url.Single<CoordinatorUrlChanged>() with { Position = null });

        var commission = await Staking.SetCommissionAsync(Sender("coordinator-staker"), 1_234);
        Assert.Equal(1_234, commission.Single<CommissionChanged>().Bps);
        Assert.Equal(1_000, await Staking.CommissionOfAsync(AddressOf("coordinator-staker")));
        await NextEpochAsync();
        Assert.Equal(1_234, await Staking.CommissionOfAsync(AddressOf("coordinator-staker")));

        var unstaked = await Staking.RequestUnstakeAsync(Sender("coordinator-staker"), 1);
        var deactivated = unstaked.Single<RegistrationDeactivated>();
        Assert.Equal((AddressOf("coordinator"), Cai.Tokens(2_000_000), Cai.Tokens(2_000_000)),
            (deactivated.Candidate, deactivated.SelfStake, deactivated.Minimum));
        Assert.False(unstaked.Single<WeightChanged>().Active);
        Assert.Equal(AddressOf("coordinator"), unstaked.Single<UnstakeRequested>().Candidate);

        // Deregistering moves the free stake into the candidate's unbonding pool first.
        var deregistered = await Staking.DeregisterAsync(Sender("coordinator-staker"));
        Assert.Equal(AddressOf("coordinator"), deregistered.Single<Deregistered>().Candidate);
        Assert.Equal(Cai.Tokens(2_000_000), deregistered.Single<UnstakeRequested>().Amount);
        Assert.Equal(Cai.Tokens(2_000_000) + 1, (await Staking.UnbondingOfAsync(AddressOf("coordinator-staker"), AddressOf("coordinator"))).Amount);
        Assert.False((await Staking.CandidateOfAsync(AddressOf("coordinator"))).Registered);

        var revoked = await Staking.RevokeConsentAsync(Sender("coordinator"));
        Assert.Equal(new ConsentRevoked(AddressOf("coordinator"), 2), revoked.Single<ConsentRevoked>() with { Position = null });

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

        var burned = await Token.BurnAsync(Sender("miner-1"), Cai.Tokens(500_000));
        Assert.Equal(Address.Zero, burned.Single<TokenTransferred>().To);

        // Ownership moves in two steps.
        var started = await Token.TransferOwnershipAsync(Sender("deployer"), AddressOf("treasury"));
        Assert.Equal(new TokenOwnershipTransferStarted(AddressOf("deployer"), AddressOf("treasury")), started.Single<TokenOwnershipTransferStarted>() with { Position = null });
        Assert.Equal(AddressOf("treasury"), await Token.PendingOwnerAsync());
        Assert.Equal(AddressOf("deployer"), await Token.OwnerAsync());
        var notPending = await RevertsAsync(() => Token.AcceptOwnershipAsync(Sender("voter-1")), "NotPendingOwner");
        Assert.Contains("is not the token's pending owner", notPending.Message);
        var moved = await Token.AcceptOwnershipAsync(Sender("treasury"));
        Assert.Equal(new TokenOwnershipTransferred(AddressOf("deployer"), AddressOf("treasury")), moved.Single<TokenOwnershipTransferred>() with { Position = null });
        Assert.Null(await Token.PendingOwnerAsync());
        Assert.Equal(Cai.Tokens(1_000_000_000) + 7 * Cai.Tokens(2_500_000) - Cai.Tokens(500_000), await Token.TotalSupplyAsync());
        Assert.Equal(new BigInteger(31337), await Token.DevnetChainIdAsync());
    }

    [Fact]
    public async Task Revert_reasons_surface_as_clear_exceptions()
    {
        await StakeAsync("miner-2-staker", 20_000);
        var consent = await ConsentAsync(Account("miner-2").Key, AddressOf("miner-2-staker"), CandidateKind.Miner, "");
        var below = await RevertsAsync(
            () => Staking.RegisterMinerAsync(Sender("miner-2-staker"), AddressOf("miner-2"), "", consent), "BelowMinimum");
        Assert.Equal("CuckooStaking.registerMiner failed: self-stake 20000 CAI must be more than the minimum 20000 CAI (BelowMinimum)", below.Message);
        Assert.Equal([Cai.Tokens(20_000), Cai.Tokens(20_000)], below.ErrorArgs.Cast<BigInteger>());
        await StakeAsync("miner-2-staker", 1);

        // Consent: signed by another key, or for another intro, is refused; the right one registers.
        var byStaker = await ConsentAsync(Account("miner-2-staker").Key, AddressOf("miner-2-staker"), CandidateKind.Miner, "");
        var wrong = await RevertsAsync(() => Staking.RegisterMinerAsync(Sender("miner-2-staker"), AddressOf("miner-2"), "", byStaker), "WrongSigner");
        Assert.Contains($"not by {AddressOf("miner-2")}", wrong.Message);
        await RevertsAsync(() => Staking.RegisterMinerAsync(Sender("miner-2-staker"), AddressOf("miner-2"), "other intro", consent), "WrongSigner");
        await RevertsAsync(() => Staking.RegisterMinerAsync(Sender("miner-2-staker"), AddressOf("miner-2"), "", [1, 2, 3]), "InvalidSignature");
        await Staking.RegisterMinerAsync(Sender("miner-2-staker"), AddressOf("miner-2"), "", consent);
        var backs = await RevertsAsync(() => Staking.VoteAsync(Sender("miner-2-staker"), AddressOf("miner-2"), 1), "StakeBacksRegistration");
        Assert.Contains("cannot vote", backs.Message);
        var step = await RevertsAsync(() => Staking.SetCommissionAsync(Sender("miner-2-staker"), 2_000), "CommissionStepTooLarge");
        Assert.Contains("from 1000 to 2000 bps is larger than the allowed step of 500 bps", step.Message);
        await RevertsAsync(() => Staking.SetCoordinatorUrlAsync(Sender("miner-2-staker"), "https://x"), "NotCoordinator");
        await RevertsAsync(() => Staking.SweepDustAsync(Sender("voter-1")), "NothingToSweep");

        // The token's error bubbles up through the staking contract and is still named.
        var allowance = await RevertsAsync(() => Staking.StakeAsync(Sender("voter-2"), Cai.Tokens(1)), "InsufficientAllowance");
        Assert.Contains("insufficient CAI allowance", allowance.Message);

        await RevertsAsync(() => Staking.WithdrawAsync(Sender("voter-2"), Address.Zero), "NothingToWithdraw");
        await RevertsAsync(() => Staking.StakeAsync(Sender("miner-2-staker"), BigInteger.Zero), "ZeroAmount");
        await RevertsAsync(() => Staking.RegisterMinerAsync(Sender("voter-2"), AddressOf("voter-2"), "", []), "SelfRegistration");
        await RevertsAsync(() => Staking.SlashAsync(Sender("voter-1"), AddressOf("miner-2"), new Contracts.CuckooStaking.EvidenceStruct()), "NotActiveCoordinator");
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
