using Cuckoo.Chain;
using Cuckoo.Cluster.Membership;
using Xunit;

namespace Cuckoo.Cluster.Tests.Membership;

public sealed class AdmissionLedgerTests
{
    private static readonly EthKey Coordinator = EthKey.Generate();
    private static readonly EthKey Stranger = EthKey.Generate();
    private static readonly Address MinerA = EthKey.Generate().Address;
    private static readonly Address MinerB = EthKey.Generate().Address;

    private static AdmissionLedger NewLedger() => new(Coordinator.Address);

    [Fact]
    public void Ledger_accepts_an_admission_signed_by_the_coordinator()
    {
        var ledger = NewLedger();
        var admission = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100, "127.0.0.1:5001");

        Assert.True(ledger.Merge(admission));

        Assert.True(ledger.IsAllowed(admission.Thumbprint));
        Assert.Equal(admission, ledger.AllowedAt("127.0.0.1:5001"));
        Assert.Equal([admission], ledger.AllowedFor(MinerA));
        Assert.Equal([admission], ledger.Allowed);
    }

    [Fact]
    public void Ledger_refuses_an_admission_signed_by_another_key()
    {
        var ledger = NewLedger();
        var forged = Signed.Admission(Stranger, MinerA, Signed.Thumbprint(1), 100);

        Assert.False(ledger.Merge(forged));

        Assert.False(ledger.IsAllowed(forged.Thumbprint));
        Assert.Empty(ledger.Allowed);
        Assert.Empty(ledger.Snapshot().Admitted);
    }

    [Fact]
    public void Ledger_refuses_a_revocation_signed_by_another_key()
    {
        var ledger = NewLedger();
        var admission = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100);
        ledger.Merge(admission);

        Assert.False(ledger.Merge(Signed.Revocation(Stranger, MinerA, admission.Thumbprint, 200)));

        Assert.True(ledger.IsAllowed(admission.Thumbprint));
        Assert.Empty(ledger.Revocations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("not hex at all")]
    [InlineData("0x1234")]
    public void Ledger_refuses_a_malformed_signature_without_throwing(string signature)
    {
        var ledger = NewLedger();
        var admission = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100) with { Signature = signature };

        Assert.False(ledger.Merge(admission));
        Assert.False(ledger.Merge(Signed.Revocation(Coordinator, MinerA, admission.Thumbprint, 200) with { Signature = signature }));
        Assert.Empty(ledger.Snapshot().Admitted);
        Assert.Empty(ledger.Revocations);
    }

    [Theory]
    [InlineData("miner")]
    [InlineData("thumbprint")]
    [InlineData("node")]
    [InlineData("models")]
    [InlineData("models-order")]
    [InlineData("capacity")]
    [InlineData("provider")]
    [InlineData("version")]
    [InlineData("admitted-at")]
    public void Ledger_refuses_an_admission_with_a_tampered_field(string field)
    {
        var ledger = NewLedger();
        var genuine = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100, "127.0.0.1:5001");
        var tampered = field switch
        {
            "miner" => genuine with { Miner = MinerB.ToString() },
            "thumbprint" => genuine with { Thumbprint = Signed.Thumbprint(2) },
            "node" => genuine with { NodeAddress = "127.0.0.1:5002" },
            "models" => genuine with { Models = [.. genuine.Models, "llama-70b"] },
            "models-order" => genuine with { Models = [.. genuine.Models.Reverse()] },
            "capacity" => genuine with { Capacity = genuine.Capacity + 1 },
            "provider" => genuine with { Provider = "cpu" },
            "version" => genuine with { SoftwareVersion = "0.9.1" },
            "admitted-at" => genuine with { AdmittedAtMs = genuine.AdmittedAtMs + 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        Assert.NotEqual(genuine, tampered);

        Assert.False(ledger.Merge(tampered));

        Assert.Empty(ledger.Snapshot().Admitted);
        // The untouched original is still good: what failed was the alteration, not the key.
        Assert.True(ledger.Merge(genuine));
    }

    [Theory]
    [InlineData("miner")]
    [InlineData("thumbprint")]
    [InlineData("reason")]
    [InlineData("revoked-at")]
    public void Ledger_refuses_a_revocation_with_a_tampered_field(string field)
    {
        var ledger = NewLedger();
        var admission = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100);
        ledger.Merge(admission);
        // Revoking another certificate, then re-pointing the signed revocation at this one, must not work.
        var genuine = Signed.Revocation(Coordinator, MinerA, Signed.Thumbprint(2), 200);
        var tampered = field switch
        {
            "miner" => genuine with { Miner = MinerB.ToString(), Thumbprint = admission.Thumbprint },
            "thumbprint" => genuine with { Thumbprint = admission.Thumbprint },
            "reason" => genuine with { Thumbprint = admission.Thumbprint, Reason = "changed" },
            "revoked-at" => genuine with { Thumbprint = admission.Thumbprint, RevokedAtMs = 300 },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        Assert.False(ledger.Merge(tampered));

        Assert.True(ledger.IsAllowed(admission.Thumbprint));
        Assert.Empty(ledger.Revocations);
    }

    [Fact]
    public void Ledger_takes_the_miner_address_in_any_letter_case()
    {
        // The signed text lowercases the miner, so a relay that prints the address without its checksum case changes nothing.
        var ledger = NewLedger();
        var admission = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100);

        Assert.True(ledger.Merge(admission with { Miner = MinerA.ToLowerHex() }));
        Assert.Single(ledger.AllowedFor(MinerA));
    }

    [Fact]
    public void Ledger_refuses_a_genuine_admission_recased_to_a_bad_address_checksum()
    {
        // The signature covers the miner lowercased, so a relay can change its letter case; a case that breaks the EIP-55
        // checksum made MinerAddress throw later, inside the keeper (AllowedFor, the coordinator's admin view).
        var ledger = NewLedger();
        var genuine = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100);
        var recased = genuine with { Miner = Signed.BadChecksum(MinerA) };
        Assert.Throws<FormatException>(() => recased.MinerAddress);

        Assert.False(ledger.Merge(recased));
        Assert.False(ledger.Merge(Signed.Revocation(Coordinator, MinerA, genuine.Thumbprint, 200) with { Miner = Signed.BadChecksum(MinerA) }));

        Assert.Empty(ledger.AllowedFor(MinerA));
        Assert.True(ledger.Merge(genuine));
        Assert.Single(ledger.AllowedFor(MinerA));
    }

    [Fact]
    public void Ledger_refuses_an_admission_with_a_null_model_id()
    {
        // JSON arrays may carry null elements past the wire serializer; the signed text would read it as an empty id.
        var genuine = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100) with { Models = ["resnet50", ""] };
        var ledger = NewLedger();

        Assert.False(ledger.Merge(AdmissionLedger.Sign(Coordinator, genuine with { Models = ["resnet50", null!] })));
        Assert.True(ledger.Merge(AdmissionLedger.Sign(Coordinator, genuine)));
    }

    [Fact]
    public void Ledger_skips_the_null_entries_of_a_snapshot()
    {
        // What a hostile member can send any keeper: it used to throw there, and the restarted keeper started from nothing.
        var genuine = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100);
        var ledger = NewLedger();

        Assert.Equal(1, ledger.Merge(new AllowListSnapshot([null!, genuine], [null!])));

        Assert.Equal([genuine], ledger.Allowed);
        Assert.Empty(ledger.Revocations);
    }

    [Fact]
    public void Ledger_lets_a_newer_revocation_win_over_the_admission()
    {
        var ledger = NewLedger();
        var admission = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100, "127.0.0.1:5001");
        ledger.Merge(admission);

        Assert.True(ledger.Merge(Signed.Revocation(Coordinator, MinerA, admission.Thumbprint, 101, "under-staked")));

        Assert.False(ledger.IsAllowed(admission.Thumbprint));
        Assert.Null(ledger.AllowedAt("127.0.0.1:5001"));
        Assert.Empty(ledger.AllowedFor(MinerA));
        Assert.Equal("under-staked", Assert.Single(ledger.Revocations).Reason);
    }

    [Fact]
    public void Ledger_keeps_an_admission_that_is_newer_than_the_revocation()
    {
        // A revocation that arrives late (it was made before the miner enrolled again) must not undo the new admission.
        var ledger = NewLedger();
        var thumbprint = Signed.Thumbprint(1);
        ledger.Merge(Signed.Admission(Coordinator, MinerA, thumbprint, 300));

        Assert.True(ledger.Merge(Signed.Revocation(Coordinator, MinerA, thumbprint, 200)));

        Assert.True(ledger.IsAllowed(thumbprint));
    }

    [Fact]
    public void Ledger_counts_a_revocation_at_the_same_millisecond_as_the_admission_as_revoked()
    {
        var ledger = NewLedger();
        var thumbprint = Signed.Thumbprint(1);
        ledger.Merge(Signed.Admission(Coordinator, MinerA, thumbprint, 100));
        ledger.Merge(Signed.Revocation(Coordinator, MinerA, thumbprint, 100));

        Assert.False(ledger.IsAllowed(thumbprint));
    }

    [Fact]
    public void Ledger_allows_again_after_a_readmission_newer_than_the_revocation()
    {
        var ledger = NewLedger();
        var thumbprint = Signed.Thumbprint(1);
        ledger.Merge(Signed.Admission(Coordinator, MinerA, thumbprint, 100, "127.0.0.1:5001"));
        ledger.Merge(Signed.Revocation(Coordinator, MinerA, thumbprint, 200));
        Assert.False(ledger.IsAllowed(thumbprint));

        var again = Signed.Admission(Coordinator, MinerA, thumbprint, 300, "127.0.0.1:5009");
        Assert.True(ledger.Merge(again));

        Assert.True(ledger.IsAllowed(thumbprint));
        Assert.Equal(again, ledger.AllowedAt("127.0.0.1:5009"));
        Assert.Null(ledger.AllowedAt("127.0.0.1:5001"));
        // The revocation stays on record (a snapshot must carry it), it just no longer wins.
        Assert.Single(ledger.Revocations);
    }

    [Fact]
    public void Ledger_ignores_an_entry_older_than_or_as_old_as_the_one_it_holds()
    {
        var ledger = NewLedger();
        var thumbprint = Signed.Thumbprint(1);
        var newer = Signed.Admission(Coordinator, MinerA, thumbprint, 200, "127.0.0.1:5002");
        ledger.Merge(newer);

        Assert.False(ledger.Merge(Signed.Admission(Coordinator, MinerA, thumbprint, 100, "127.0.0.1:5001")));
        Assert.False(ledger.Merge(newer));
        Assert.True(ledger.Merge(Signed.Revocation(Coordinator, MinerA, thumbprint, 300, "newer")));
        Assert.False(ledger.Merge(Signed.Revocation(Coordinator, MinerA, thumbprint, 250, "older")));

        Assert.Equal(newer, Assert.Single(ledger.Snapshot().Admitted));
        Assert.Equal("newer", Assert.Single(ledger.Revocations).Reason);
    }

    [Fact]
    public void AllowedAt_names_the_newest_allowed_admission_at_a_host_and_port()
    {
        // A miner that enrols again from the same host:port with a new certificate: the newer admission names the member.
        var ledger = NewLedger();
        var first = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100, "127.0.0.1:5001");
        var second = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(2), 200, "127.0.0.1:5001");
        var elsewhere = Signed.Admission(Coordinator, MinerB, Signed.Thumbprint(3), 300, "127.0.0.1:5003");
        foreach (var a in new[] { second, elsewhere, first })
        {
            ledger.Merge(a);
        }

        Assert.Equal(second, ledger.AllowedAt("127.0.0.1:5001"));
        Assert.Equal(elsewhere, ledger.AllowedAt("127.0.0.1:5003"));
        Assert.Null(ledger.AllowedAt("127.0.0.1:5002"));
        // host:port is matched exactly: no prefix or host-only match.
        Assert.Null(ledger.AllowedAt("127.0.0.1:500"));
        Assert.Null(ledger.AllowedAt("127.0.0.1"));

        ledger.Merge(Signed.Revocation(Coordinator, MinerA, second.Thumbprint, 400));
        Assert.Equal(first, ledger.AllowedAt("127.0.0.1:5001"));
    }

    [Fact]
    public void AllowedFor_lists_only_that_miners_allowed_admissions()
    {
        var ledger = NewLedger();
        var a1 = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100);
        var a2 = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(2), 110);
        var b1 = Signed.Admission(Coordinator, MinerB, Signed.Thumbprint(3), 120);
        foreach (var a in new[] { a1, a2, b1 })
        {
            ledger.Merge(a);
        }
        ledger.Merge(Signed.Revocation(Coordinator, MinerA, a1.Thumbprint, 200));

        Assert.Equal([a2], ledger.AllowedFor(MinerA));
        Assert.Equal([b1], ledger.AllowedFor(MinerB));
        Assert.Empty(ledger.AllowedFor(EthKey.Generate().Address));
    }

    [Fact]
    public void Ledger_merges_to_the_same_state_in_every_order_and_with_duplicates()
    {
        var entries = History();
        var expected = ExpectedOfHistory();

        var orders = 0;
        foreach (var order in Permutations(entries.Count))
        {
            var ledger = NewLedger();
            foreach (var i in order)
            {
                MergeEntry(ledger, entries[i]);
            }
            // Every entry again, the other way round: as pub-sub and a snapshot both delivering it.
            foreach (var i in order.Reverse())
            {
                Assert.False(MergeEntry(ledger, entries[i]));
            }
            Assert.Equal(expected, StateOf(ledger));
            orders++;
        }
        Assert.Equal(720, orders);
    }

    [Fact]
    public void Ledger_merges_to_the_same_state_for_shuffled_histories_with_repeats()
    {
        // A wider history than the exhaustive test above, in seeded random orders with random entries repeated.
        var entries = History().Concat(WideHistory()).ToList();
        var reference = NewLedger();
        foreach (var e in entries)
        {
            MergeEntry(reference, e);
        }
        var expected = StateOf(reference);
        Assert.Contains(expected.Allowed, a => a.StartsWith(Signed.Thumbprint(20), StringComparison.Ordinal));
        Assert.DoesNotContain(expected.Allowed, a => a.StartsWith(Signed.Thumbprint(21), StringComparison.Ordinal));

        var random = new Random(7118);
        for (var round = 0; round < 60; round++)
        {
            var ledger = NewLedger();
            var shuffled = entries.Concat(Enumerable.Range(0, 5).Select(_ => entries[random.Next(entries.Count)])).ToArray();
            random.Shuffle(shuffled);
            foreach (var e in shuffled)
            {
                MergeEntry(ledger, e);
            }
            Assert.Equal(expected, StateOf(ledger));
        }
    }

    [Fact]
    public void Snapshot_merged_into_a_fresh_ledger_reproduces_the_allowed_set()
    {
        var source = NewLedger();
        var entries = History().Concat(WideHistory()).ToList();
        foreach (var e in entries)
        {
            MergeEntry(source, e);
        }
        var snapshot = source.Snapshot();

        var fresh = NewLedger();
        Assert.Equal(snapshot.Admitted.Length + snapshot.Revoked.Length, fresh.Merge(snapshot));

        Assert.Equal(StateOf(source), StateOf(fresh));
        Assert.Equal(0, fresh.Merge(snapshot));
        // The revocations came along: an old admission replayed afterwards does not bring a revoked miner back.
        foreach (var e in entries)
        {
            MergeEntry(fresh, e);
        }
        Assert.Equal(StateOf(source), StateOf(fresh));
        Assert.False(fresh.IsAllowed(Signed.Thumbprint(21)));
    }

    [Fact]
    public void Snapshots_of_two_ledgers_merge_to_the_same_state_in_either_order()
    {
        // Two coordinator nodes that each admitted and revoked on their own, then exchanged snapshots.
        var entries = History().Concat(WideHistory()).ToList();
        var left = NewLedger();
        var right = NewLedger();
        for (var i = 0; i < entries.Count; i++)
        {
            MergeEntry(i % 2 == 0 ? left : right, entries[i]);
        }
        var all = NewLedger();
        foreach (var e in entries)
        {
            MergeEntry(all, e);
        }

        var leftThenRight = NewLedger();
        leftThenRight.Merge(left.Snapshot());
        leftThenRight.Merge(right.Snapshot());
        var rightThenLeft = NewLedger();
        rightThenLeft.Merge(right.Snapshot());
        rightThenLeft.Merge(left.Snapshot());
        left.Merge(right.Snapshot());

        Assert.Equal(StateOf(all), StateOf(leftThenRight));
        Assert.Equal(StateOf(all), StateOf(rightThenLeft));
        Assert.Equal(StateOf(all), StateOf(left));
    }

    [Fact]
    public void Snapshot_refuses_the_forged_entries_it_carries_and_keeps_the_genuine_ones()
    {
        var genuine = Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100);
        var forgedAdmission = Signed.Admission(Stranger, MinerB, Signed.Thumbprint(2), 100);
        var forgedRevocation = Signed.Revocation(Stranger, MinerA, genuine.Thumbprint, 200);
        var ledger = NewLedger();

        Assert.Equal(1, ledger.Merge(new AllowListSnapshot([genuine, forgedAdmission], [forgedRevocation])));

        Assert.Equal([genuine], ledger.Allowed);
        Assert.Empty(ledger.Revocations);
    }

    /// <summary>
    /// Six entries, each order of which must end the same: thumbprint 1 admitted, revoked, admitted again (allowed);
    /// thumbprint 4 admitted at one node, revoked, admitted at another (allowed at the second only).
    /// </summary>
    private static List<object> History() =>
    [
        Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 100, "127.0.0.1:5001"),
        Signed.Revocation(Coordinator, MinerA, Signed.Thumbprint(1), 200),
        Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(1), 300, "127.0.0.1:5001"),
        Signed.Admission(Coordinator, MinerB, Signed.Thumbprint(4), 500, "127.0.0.1:5004"),
        Signed.Revocation(Coordinator, MinerB, Signed.Thumbprint(4), 550),
        Signed.Admission(Coordinator, MinerB, Signed.Thumbprint(4), 600, "127.0.0.1:5044"),
    ];

    private static LedgerState ExpectedOfHistory() => new(
        [.. new[] { "1@300@127.0.0.1:5001", "4@600@127.0.0.1:5044" }.Select(Short).Order(StringComparer.Ordinal)],
        [.. new[] { "1@200@", "4@550@" }.Select(Short).Order(StringComparer.Ordinal)]);

    private static IEnumerable<object> WideHistory()
    {
        // 20: revoked, then admitted again; 21: admitted, then revoked; 22: a forged admission that never counts; 23: the
        // same millisecond for both, revoked.
        yield return Signed.Revocation(Coordinator, MinerA, Signed.Thumbprint(20), 150);
        yield return Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(20), 250, "127.0.0.1:5020");
        yield return Signed.Admission(Coordinator, MinerB, Signed.Thumbprint(21), 100, "127.0.0.1:5021");
        yield return Signed.Revocation(Coordinator, MinerB, Signed.Thumbprint(21), 400);
        yield return Signed.Admission(Stranger, MinerB, Signed.Thumbprint(22), 900, "127.0.0.1:5022");
        yield return Signed.Admission(Coordinator, MinerA, Signed.Thumbprint(23), 700, "127.0.0.1:5023");
        yield return Signed.Revocation(Coordinator, MinerA, Signed.Thumbprint(23), 700);
    }

    private static bool MergeEntry(AdmissionLedger ledger, object entry) => entry switch
    {
        MinerAdmitted a => ledger.Merge(a),
        MinerRevoked r => ledger.Merge(r),
        _ => throw new ArgumentException(entry.GetType().Name),
    };

    private static string Short(string text) =>
        // "1@300@node" in the expectations names Signed.Thumbprint(1).
        Signed.Thumbprint(int.Parse(text[..text.IndexOf('@')], System.Globalization.CultureInfo.InvariantCulture)) + text[text.IndexOf('@')..];

    private static LedgerState StateOf(AdmissionLedger ledger) => new(
        [.. ledger.Allowed.Select(a => $"{a.Thumbprint}@{a.AdmittedAtMs}@{a.NodeAddress}").Order(StringComparer.Ordinal)],
        [.. ledger.Revocations.Select(r => $"{r.Thumbprint}@{r.RevokedAtMs}@").Order(StringComparer.Ordinal)]);

    /// <summary>Every ordering of 0..n-1 (Heap's algorithm).</summary>
    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        var c = new int[n];
        yield return [.. a];
        var i = 0;
        while (i < n)
        {
            if (c[i] < i)
            {
                var j = i % 2 == 0 ? 0 : c[i];
                (a[j], a[i]) = (a[i], a[j]);
                yield return [.. a];
                c[i]++;
                i = 0;
            }
            else
            {
                c[i] = 0;
                i++;
            }
        }
    }

    /// <summary>What a ledger holds, comparable by value: allowed admissions and revocations as sorted text.</summary>
    private sealed record LedgerState(string[] Allowed, string[] Revoked)
    {
        public bool Equals(LedgerState? other) =>
            other is not null && Allowed.SequenceEqual(other.Allowed) && Revoked.SequenceEqual(other.Revoked);

        public override int GetHashCode() => Allowed.Length ^ Revoked.Length;

        public override string ToString() => $"allowed [{string.Join(", ", Allowed)}], revoked [{string.Join(", ", Revoked)}]";
    }
}
