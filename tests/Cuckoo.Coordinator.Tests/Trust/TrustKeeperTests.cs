using Akka.Actor;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Trust;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Coordinator.Tests.Trust;

public sealed class TrustKeeperTests(ITestOutputHelper output) : TrustTestBase(output)
{
    [Fact]
    public void TrustKeeper_jails_the_minority_at_once()
    {
        var (keeper, registry, jailBook) = Start(Settings with { SlashAfter = 5 });
        var subscriber = CreateTestProbe();
        keeper.Tell(new SubscribeJail(subscriber.Ref), subscriber.Ref);

        Settled(keeper, Settle("t1", Honest.Take(2), [Liar], audited: true));

        var standing = registry.ExpectMsg<UpdateStanding>(Wait);
        Assert.Equal((Liar.Address, true), (standing.Miner, standing.Jailed));
        var jailed = subscriber.ExpectMsg<MinerJailed>(Wait);
        Assert.Equal(Liar.Address, jailed.Miner);
        Assert.Contains("t1", jailed.Reason);
        Assert.True(jailBook.IsJailed(Liar.Address, out var reason));
        Assert.Equal(jailed.Reason, reason);
        var entry = Assert.Single(Ask<JailList>(keeper, GetJail.Instance).Miners);
        Assert.Equal(Liar.Address, entry.Miner);
        Assert.Equal([jailed.EvidenceId], entry.EvidenceIds);
        Assert.Equal(0, entry.Slashed);
        Assert.Equal(SlashStatus.Waiting, SlashOf(keeper, jailed.EvidenceId).Status);
    }

    [Fact]
    public void TrustKeeper_submits_the_slash_after_enough_evidence()
    {
        var (keeper, _, _) = Start(Settings with { SlashAfter = 2 });

        Settled(keeper, Settle("t1", Honest.Take(2), [Liar]));
        var first = Assert.Single(Ask<JailList>(keeper, GetJail.Instance).Miners).EvidenceIds.Single();
        Assert.Equal(SlashStatus.Waiting, SlashOf(keeper, first).Status);
        Assert.Empty(Chain.Slashes);

        Settled(keeper, Settle("t2", Honest.Skip(1).Take(2), [Liar]));
        AwaitCondition(() => Ask<JailList>(keeper, GetJail.Instance).Miners.Single().Slashed == 2, Wait);

        var evidence = Ask<JailList>(keeper, GetJail.Instance).Miners.Single().EvidenceIds;
        Assert.Equal(evidence.Order(), Chain.Slashes.Select(e => e.EvidenceId).Order());
        Assert.All(evidence, id => Assert.Equal(SlashStatus.Submitted, SlashOf(keeper, id).Status));
        Assert.Equal(2, Ledger.Slashes.Count);
        Assert.All(Ledger.Slashes, s => Assert.Equal(Liar.Address, s.Miner));
        Assert.Equal(2, JournalRows("trust.slash-submitted.v1"));
    }

    [Fact]
    public void TrustKeeper_never_blames_agreeing_miners()
    {
        var (keeper, registry, jailBook) = Start();
        for (var i = 0; i < 20; i++)
        {
            // Plain tasks run once, verified ones agree, and now and then a liar or two colluders are outvoted.
            var settled = (i % 5) switch
            {
                0 => Settle($"t{i}", Honest.Take(3), [Liar]),
                1 => Settle($"t{i}", Honest.Skip(1).Take(3), [Liar, Colluder]),
                2 => Settle($"t{i}", Honest.Take(1)),
                _ => Settle($"t{i}", Honest.Take(2)),
            };
            Settled(keeper, settled);
        }
        AwaitCondition(() => Ask<JailList>(keeper, GetJail.Instance).Miners.Sum(m => m.Slashed) >= 4, Wait);

        var jail = Ask<JailList>(keeper, GetJail.Instance).Miners;
        Assert.Equal(new[] { Liar.Address, Colluder.Address }.Order(), jail.Select(j => j.Miner).Order());
        Assert.All(Honest, h => Assert.False(jailBook.IsJailed(h.Address, out _)));
        var told = registry.ReceiveN(2, Wait).Cast<UpdateStanding>().Select(s => s.Miner);
        Assert.Equal(new[] { Liar.Address, Colluder.Address }.Order(), told.Order());
        registry.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.All(Chain.Slashes, e => Assert.Contains(e.Accused, new[] { Liar.Address, Colluder.Address }));
        Assert.All(Chain.Slashes, e => Assert.DoesNotContain(e.Accused, e.Witnesses));
        Assert.All(Honest, h => Assert.Equal(Stake, Ledger.StakeOf(StakerOf(h))));
        Assert.True(Ledger.StakeOf(StakerOf(Liar)) < Stake);
    }

    [Fact]
    public void TrustKeeper_takes_a_settlement_once_however_often_sent()
    {
        var (keeper, registry, _) = Start();
        var settled = Settle("t1", Honest.Take(2), [Liar]);
        var sender = CreateTestProbe();
        for (var i = 0; i < 5; i++)
        {
            keeper.Tell(settled, sender.Ref);
        }
        Assert.All(sender.ReceiveN(5, Wait), m => Assert.Equal(new SettlementRecorded("t1"), m));
        Settled(keeper, settled);

        Assert.Equal(1, JournalRows("trust.settlement.v1"));
        var work = Ask<RewardsReport>(keeper, GetRewards.Instance).Current.Miners;
        Assert.Equal(Honest.Take(2).Select(h => (h.Address, 1L)).Order(), work.Where(w => w.Work > 0 && !w.Forfeited).Select(w => (w.Miner, w.Work)).Order());
        registry.ExpectMsg<UpdateStanding>(Wait);
        registry.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AwaitCondition(() => Ledger.Slashes.Count == 1, Wait);
        Assert.Single(Chain.Slashes);
    }

    [Fact]
    public void TrustKeeper_looks_evidence_up_by_its_id()
    {
        var (keeper, _, _) = Start(Settings with { SlashAfter = 3 });
        var settled = Settle("t1", Honest.Take(2), [Liar]);
        Settled(keeper, settled);

        var id = Ask<JailList>(keeper, GetJail.Instance).Miners.Single().EvidenceIds.Single();
        var found = Ask<EvidenceFound>(keeper, new GetEvidence(id.ToUpperInvariant().Replace("0X", "0x")));
        Assert.Equal((id, "t1", Liar.Address, Wrong("t1"), Right("t1")), (found.Evidence.EvidenceId, found.Evidence.TaskId, found.Evidence.Accused, found.Evidence.AccusedOutput, found.Evidence.WitnessOutput));
        Assert.Equal(Honest.Take(2).Select(h => h.Address), found.Evidence.Witnesses);
        Assert.Equal(SlashStatus.Waiting, found.Slash.Status);
        var missing = "0x" + new string('0', 64);
        Assert.Equal(new EvidenceNotFound(missing), Ask<EvidenceNotFound>(keeper, new GetEvidence(missing)));
    }

    [Fact]
    public void TrustKeeper_keeps_evidence_with_too_few_witnesses_but_never_submits_it()
    {
        var (keeper, registry, _) = Start();
        var settled = Settle("t1", Honest.Take(2), [Liar]);
        // The two agreeing results matched within the model's tolerance, not bit for bit: one witness per output.
        var runs = settled.Runs.ToList();
        runs[1] = runs[1] with { OutputDigest = Digest("nearly right") };
        Settled(keeper, settled with { Runs = runs });

        Assert.Equal(Liar.Address, registry.ExpectMsg<UpdateStanding>(Wait).Miner);
        var id = Ask<JailList>(keeper, GetJail.Instance).Miners.Single().EvidenceIds.Single();
        AwaitCondition(() => SlashOf(keeper, id).Status == SlashStatus.TooFewWitnesses, Wait);
        Settled(keeper, Settle("t2", Honest.Take(3)));
        Assert.Empty(Chain.Slashes);
    }

    [Fact]
    public void TrustKeeper_jails_and_says_why_when_no_evidence_can_be_built()
    {
        var (keeper, registry, jailBook) = Start(build: (_, _, _) => null);
        var settled = Settle("t1", Honest.Take(2), [Liar]);
        var runs = settled.Runs.ToList();
        runs[1] = runs[1] with { OutputDigest = Digest("nearly right") };
        Settled(keeper, settled with { Runs = runs });

        Assert.Equal(Liar.Address, registry.ExpectMsg<UpdateStanding>(Wait).Miner);
        Assert.True(jailBook.IsJailed(Liar.Address, out _));
        var entry = Ask<JailList>(keeper, GetJail.Instance).Miners.Single();
        Assert.Empty(entry.EvidenceIds);
        Assert.StartsWith("t1: ", Assert.Single(entry.Unprovable));
        Assert.Contains("tolerance", entry.Unprovable[0]);
        Assert.Empty(Chain.Slashes);
    }
}
