using System.Numerics;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Trust;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Coordinator.Tests.Trust;

public sealed class TrustKeeperChainTests(ITestOutputHelper output) : TrustTestBase(output)
{
    [Fact]
    public void TrustKeeper_retries_a_slash_refused_for_the_epoch_cap()
    {
        // The in-memory contract slashes 10% a time and at most 20% per staker and epoch: the third waits for the next epoch.
        var (keeper, _, _) = Start();
        for (var i = 0; i < 3; i++)
        {
            Settled(keeper, Settle($"t{i}", Honest.Take(2), [Liar]));
        }
        var ids = Ask<JailList>(keeper, GetJail.Instance).Miners.Single().EvidenceIds;
        AwaitCondition(() => SlashOf(keeper, ids[2]).Status == SlashStatus.Retrying, Wait);
        Assert.StartsWith("EpochSlashCapExceeded", SlashOf(keeper, ids[2]).Error);
        Assert.Equal(2, Ledger.Slashes.Count);

        // Another miner's slash is not held up by the liar's cap.
        Settled(keeper, Settle("other", Honest.Skip(1).Take(2), [Colluder]));
        AwaitCondition(() => Ledger.Slashes.Any(s => s.Miner == Colluder.Address), Wait);

        Ledger.Epoch++;
        Advance(Sys, Settings.SlashRetry);
        AwaitCondition(() => SlashOf(keeper, ids[2]).Status == SlashStatus.Submitted, Wait);
        Assert.Equal(3, Ledger.Slashes.Count(s => s.Miner == Liar.Address));
        Assert.Equal(4, JournalRows("trust.slash-submitted.v1"));
    }

    [Fact]
    public void TrustKeeper_records_a_slash_the_contract_refuses_for_good_and_does_not_retry_it()
    {
        var (keeper, _, _) = Start();
        Chain.SlashOverride = _ => ChainOutcome.Failure("WrongSigner: not the accused's signature", retryable: false);
        Settled(keeper, Settle("t1", Honest.Take(2), [Liar]));
        var id = Ask<JailList>(keeper, GetJail.Instance).Miners.Single().EvidenceIds.Single();

        AwaitCondition(() => SlashOf(keeper, id).Status == SlashStatus.Refused, Wait);
        Assert.Equal("WrongSigner: not the accused's signature", SlashOf(keeper, id).Error);
        Advance(Sys, Settings.SlashRetry * 3);
        Settled(keeper, Settle("t2", Honest.Take(2)));
        Assert.Single(Chain.Slashes);
        Assert.Equal(1, JournalRows("trust.slash-refused.v1"));
    }

    [Fact]
    public async Task TrustKeeper_keeps_jail_and_evidence_across_a_restart()
    {
        var first = NewSystem("before");
        var (keeper, _, _) = Start(system: first);
        Settled(keeper, Settle("t1", Honest.Take(2), [Liar]), CreateTestProbe(first));
        Settled(keeper, Settle("t2", Honest.Take(2), [Liar]), CreateTestProbe(first));
        Settled(keeper, Settle("t3", Honest.Take(2), [Liar]), CreateTestProbe(first));
        var ids = Ask<JailList>(keeper, GetJail.Instance, first).Miners.Single().EvidenceIds;
        // Two go on chain; the cap holds the third back when the process stops.
        AwaitCondition(() => SlashOf(keeper, ids[2], first).Status == SlashStatus.Retrying, Wait);
        await first.Terminate().WaitAsync(Wait);

        Ledger.Epoch++;
        var second = NewSystem("after");
        var (again, registry, jailBook) = Start(system: second);
        Assert.Equal((Liar.Address, true), registry.ExpectMsg<UpdateStanding>(Wait) is var s ? (s.Miner, s.Jailed) : default);
        Assert.True(jailBook.IsJailed(Liar.Address, out var reason));
        Assert.Contains("t1", reason);
        var entry = Ask<JailList>(again, GetJail.Instance, second).Miners.Single();
        Assert.Equal(ids, entry.EvidenceIds);
        var found = Ask<EvidenceFound>(again, new GetEvidence(ids[0]), second);
        Assert.Equal((Liar.Address, "t1", SlashStatus.Submitted), (found.Evidence.Accused, found.Evidence.TaskId, found.Slash.Status));
        // The unsubmitted slash resumes; those already taken are not sent again.
        AwaitCondition(() => SlashOf(again, ids[2], second).Status == SlashStatus.Submitted, Wait);
        Assert.Equal(3, Ledger.Slashes.Count);
        Assert.Equal(ids, Chain.Slashes.Select(e => e.EvidenceId).Distinct());
        Assert.Equal(2, Chain.Slashes.Count(e => e.EvidenceId != ids[2]));

        // A resent settlement is still recognised after the restart.
        Settled(again, Settle("t1", Honest.Take(2), [Liar]), CreateTestProbe(second));
        Assert.Equal(3, JournalRows("trust.settlement.v1"));
    }

    [Fact]
    public async Task TrustKeeper_recovers_from_a_snapshot()
    {
        var first = NewSystem("before");
        var (keeper, _, _) = Start(Settings with { SnapshotEvery = 5, SlashAfter = 100 }, first);
        for (var i = 0; i < 12; i++)
        {
            Settled(keeper, i == 3 ? Settle($"t{i}", Honest.Take(2), [Liar]) : Settle($"t{i}", Honest.Take(2)), CreateTestProbe(first));
        }
        await first.Terminate().WaitAsync(Wait);

        var second = NewSystem("after");
        var (again, registry, _) = Start(Settings with { SnapshotEvery = 5, SlashAfter = 100 }, second);
        Assert.Equal(Liar.Address, registry.ExpectMsg<UpdateStanding>(Wait).Miner);
        Assert.True(SnapshotRows() > 0);
        Assert.Equal([12L, 12L], Ask<RewardsReport>(again, GetRewards.Instance, second).Current.Miners.Select(w => w.Work));
        // Settlements the snapshot covers are still recognised: resent, they credit nothing.
        Settled(again, Settle("t0", Honest.Take(2)), CreateTestProbe(second));
        Assert.Equal([12L, 12L], Ask<RewardsReport>(again, GetRewards.Instance, second).Current.Miners.Select(w => w.Work));
        Assert.Single(Ask<JailList>(again, GetJail.Instance, second).Miners);
    }

    [Fact]
    public void TrustKeeper_pays_rewards_in_proportion_to_verified_work_within_the_budget()
    {
        var (keeper, _, _) = Start(Settings with { RewardBudget = 1_000 });
        // Honest 0 did 3 verified tasks, honest 1 two, honest 2 one; honest 3 none.
        Settled(keeper, Settle("t1", [Honest[0], Honest[1], Honest[2]]));
        Settled(keeper, Settle("t2", [Honest[0], Honest[1]]));
        Settled(keeper, Settle("t3", [Honest[0]]));

        Advance(Sys, Settings.RewardPeriod);
        AwaitCondition(() => Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.SingleOrDefault()?.Miners.All(m => m.Deposit == DepositStatus.Deposited) == true, Wait);

        var period = Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.Single();
        Assert.Equal((1, "1000"), (period.Index, period.Budget));
        Assert.Equal(Settings.RewardPeriod, period.End - period.Start);
        var amounts = period.Miners.ToDictionary(m => m.Miner, m => (m.Work, BigInteger.Parse(m.Amount!)));
        Assert.Equal((3L, new BigInteger(500)), amounts[Honest[0].Address]);
        Assert.Equal((2L, new BigInteger(333)), amounts[Honest[1].Address]);
        Assert.Equal((1L, new BigInteger(167)), amounts[Honest[2].Address]);
        Assert.False(amounts.ContainsKey(Honest[3].Address));
        Assert.Equal(new BigInteger(1_000), Chain.Deposits.Aggregate(BigInteger.Zero, (sum, d) => sum + d.Amount));
        Assert.Equal(new BigInteger(500), Ledger.ClaimableOf(StakerOf(Honest[0])));
        Assert.All(period.Miners, m => Assert.NotNull(m.TransactionHash));
        Assert.Empty(Ask<RewardsReport>(keeper, GetRewards.Instance).Current.Miners);
    }

    [Fact]
    public void TrustKeeper_never_pays_more_than_the_coordinator_holds()
    {
        var (keeper, _, _) = Start(Settings with { RewardBudget = 1_000 });
        Chain.Balance = 100;
        Settled(keeper, Settle("t1", [Honest[0], Honest[1]]));

        Advance(Sys, Settings.RewardPeriod);
        AwaitCondition(() => Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.SingleOrDefault()?.Miners.Any(m => m.Deposit == DepositStatus.Retrying) == true, Wait);
        Assert.Empty(Chain.Deposits);
        Assert.Contains("less than the 500 wei owed", Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.Single().Miners.First().Error);

        Chain.Balance = null;
        Advance(Sys, Settings.SlashRetry);
        AwaitCondition(() => Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.Single().Miners.All(m => m.Deposit == DepositStatus.Deposited), Wait);
        Assert.Equal(2, Chain.Deposits.Count);
    }

    [Fact]
    public async Task TrustKeeper_resumes_an_unpaid_period_after_a_restart()
    {
        var first = NewSystem("before");
        var (keeper, _, _) = Start(system: first);
        Chain.Balance = 0;
        Settled(keeper, Settle("t1", [Honest[0], Honest[1]]), CreateTestProbe(first));
        Advance(first, Settings.RewardPeriod);
        AwaitCondition(() => Ask<RewardsReport>(keeper, GetRewards.Instance, first).Closed.SingleOrDefault()?.Miners.Any(m => m.Deposit == DepositStatus.Retrying) == true, Wait);
        await first.Terminate().WaitAsync(Wait);

        Chain.Balance = null;
        var second = NewSystem("after");
        var (again, _, _) = Start(system: second);
        AwaitCondition(() => Ask<RewardsReport>(again, GetRewards.Instance, second).Closed.Single().Miners.All(m => m.Deposit == DepositStatus.Deposited), Wait);
        Assert.Equal(new BigInteger(500), Ledger.RewardsOf(Honest[0].Address));
        Assert.Equal(new BigInteger(500), Ledger.RewardsOf(Honest[1].Address));
        Assert.Equal(1, JournalRows("trust.reward-period-closed.v1"));
        Assert.Equal(2, JournalRows("trust.reward-deposited.v1"));
    }

    [Fact]
    public void TrustKeeper_does_not_pay_twice_when_a_deposit_landed_but_its_receipt_was_lost()
    {
        var (keeper, _, _) = Start(Settings with { RewardBudget = 1_000 });
        Chain.Fault = DepositFault.LoseOutcome;
        Settled(keeper, Settle("t1", [Honest[0], Honest[1]]));

        Advance(Sys, Settings.RewardPeriod);
        AwaitCondition(() => Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.SingleOrDefault()?.Miners.Any(m => m.Deposit == DepositStatus.Retrying) == true, Wait);
        Advance(Sys, Settings.SlashRetry);
        AwaitCondition(() => Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.Single().Miners.All(m => m.Deposit == DepositStatus.Deposited), Wait);

        // The retry found the first deposit on chain instead of sending it again.
        Assert.Equal(2, Chain.Deposits.Count);
        Assert.Equal(new BigInteger(500), Ledger.RewardsOf(Honest[0].Address));
        Assert.Equal(new BigInteger(500), Ledger.RewardsOf(Honest[1].Address));
        Assert.Equal(2, JournalRows("trust.reward-deposit-started.v1"));
    }

    [Fact]
    public async Task TrustKeeper_does_not_pay_twice_after_dying_between_a_deposit_and_its_journal_entry()
    {
        var first = NewSystem("before");
        var (keeper, _, _) = Start(system: first);
        Chain.Fault = DepositFault.Hang;
        Settled(keeper, Settle("t1", [Honest[0], Honest[1]]), CreateTestProbe(first));
        Advance(first, Settings.RewardPeriod);
        AwaitCondition(() => !Chain.Deposits.IsEmpty, Wait);
        var paid = Chain.Deposits.Single();
        AwaitCondition(() => Ledger.RewardsOf(paid.Miner) == paid.Amount, Wait);
        await first.Terminate().WaitAsync(Wait);

        Chain.Fault = DepositFault.None;
        var second = NewSystem("after");
        var (again, _, _) = Start(system: second);
        AwaitCondition(() => Ask<RewardsReport>(again, GetRewards.Instance, second).Closed.Single().Miners.All(m => m.Deposit == DepositStatus.Deposited), Wait);
        Assert.Equal(new BigInteger(500), Ledger.RewardsOf(Honest[0].Address));
        Assert.Equal(new BigInteger(500), Ledger.RewardsOf(Honest[1].Address));
        // The hung one was found on chain; only the other was sent after the restart.
        Assert.Equal(2, Chain.Deposits.Count);
        Assert.Equal(2, JournalRows("trust.reward-deposited.v1"));
    }

    [Fact]
    public void TrustKeeper_forfeits_a_jailed_miners_work()
    {
        var (keeper, _, _) = Start(Settings with { RewardBudget = 1_000, SlashAfter = 100 });
        // The liar does honest work first, then is caught in the same period.
        Settled(keeper, Settle("t1", [Honest[0], Liar]));
        Settled(keeper, Settle("t2", [Honest[0], Liar]));
        Settled(keeper, Settle("t3", [Honest[1], Honest[2]], [Liar]));

        Advance(Sys, Settings.RewardPeriod);
        AwaitCondition(() => Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.SingleOrDefault()?.Miners
            .Where(m => !m.Forfeited).All(m => m.Deposit == DepositStatus.Deposited) == true, Wait);

        var period = Ask<RewardsReport>(keeper, GetRewards.Instance).Closed.Single();
        var liar = period.Miners.Single(m => m.Miner == Liar.Address);
        Assert.Equal((2L, "0", true, DepositStatus.None), (liar.Work, liar.Amount, liar.Forfeited, liar.Deposit));
        var paid = period.Miners.Where(m => !m.Forfeited).ToDictionary(m => m.Miner, m => m.Amount);
        Assert.Equal("500", paid[Honest[0].Address]);
        Assert.Equal("250", paid[Honest[1].Address]);
        Assert.Equal("250", paid[Honest[2].Address]);
        Assert.DoesNotContain(Chain.Deposits, d => d.Miner == Liar.Address);
        Assert.Equal(BigInteger.Zero, Ledger.RewardsOf(Liar.Address));
    }

    [Fact]
    public void TrustHocon_binds_the_coordinator_conf_section()
    {
        var config = Cuckoo.Persistence.CuckooHocon.Load(new Cuckoo.Persistence.HoconOptions
        {
            Role = Cuckoo.Persistence.NodeRole.Coordinator,
            Directory = Path.Combine(RepoRoot(), "hocon"),
            Environment = new Dictionary<string, string?> { ["CUCKOO__CUCKOO__TRUST__SLASH_AFTER"] = "3" },
        });
        var settings = TrustHocon.Bind(config);
        Assert.Equal(new TrustSettings() with { SlashAfter = 3 }, settings);
        Assert.Throws<ArgumentException>(() => TrustHocon.Bind(Akka.Configuration.ConfigurationFactory.ParseString("cuckoo.trust.reward-budget = \"12 CAI\"")));
    }
}
