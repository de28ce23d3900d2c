using Cuckoo.Cluster.Enrolment;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Cuckoo.Cluster.Tests.Enrolment;

public sealed class ChallengeStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ChallengeStore_redeems_a_nonce_once()
    {
        var store = new ChallengeStore(TimeSpan.FromSeconds(30), 10, _time, TimeSpan.FromSeconds(30));
        var (nonce, expiresAt) = store.Issue();

        Assert.Matches("^0x[0-9a-f]{64}$", nonce);
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), expiresAt);
        Assert.Equal(ChallengeStatus.Outstanding, store.Lookup(nonce, out var seen));
        Assert.Equal(expiresAt, seen);
        Assert.Equal(ChallengeRedemption.Redeemed, store.Redeem(nonce));
        Assert.Equal(ChallengeRedemption.Replayed, store.Redeem(nonce));
        Assert.Equal(ChallengeStatus.Redeemed, store.Lookup(nonce, out _));
        Assert.Equal(ChallengeRedemption.Unknown, store.Redeem("0x" + new string('0', 64)));
        Assert.NotEqual(nonce, store.Issue().Nonce);
    }

    [Fact]
    public void ChallengeStore_tells_expired_and_replayed_from_unknown_until_it_forgets()
    {
        var store = new ChallengeStore(TimeSpan.FromSeconds(30), 10, _time, TimeSpan.FromSeconds(30));
        var (answered, _) = store.Issue();
        var (late, _) = store.Issue();
        Assert.Equal(ChallengeRedemption.Redeemed, store.Redeem(answered));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(ChallengeStatus.Outstanding, store.Lookup(late, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ChallengeRedemption.Expired, store.Redeem(late));
        Assert.Equal(ChallengeStatus.Expired, store.Lookup(late, out _));
        Assert.Equal(ChallengeRedemption.Replayed, store.Redeem(answered));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(ChallengeRedemption.Unknown, store.Redeem(late));
        Assert.Equal(ChallengeRedemption.Unknown, store.Redeem(answered));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void ChallengeStore_evicts_the_oldest_to_stay_bounded()
    {
        var store = new ChallengeStore(TimeSpan.FromSeconds(30), 100, _time);
        var nonces = Enumerable.Range(0, 10_000).Select(_ => store.Issue().Nonce).ToList();

        Assert.Equal(100, store.Count);
        Assert.All(nonces[..9_900], n => Assert.Equal(ChallengeStatus.Unknown, store.Lookup(n, out _)));
        Assert.All(nonces[9_900..], n => Assert.Equal(ChallengeStatus.Outstanding, store.Lookup(n, out _)));
        // Redeemed ones count against the bound too, and go in issue order.
        Assert.Equal(ChallengeRedemption.Redeemed, store.Redeem(nonces[9_900]));
        store.Issue();
        Assert.Equal(ChallengeRedemption.Unknown, store.Redeem(nonces[9_900]));
        Assert.Equal(100, store.Count);
    }

    [Fact]
    public void ChallengeStore_sweeps_expired_nonces_without_waiting_for_the_bound()
    {
        var store = new ChallengeStore(TimeSpan.FromSeconds(30), 1_000, _time);
        for (var i = 0; i < 500; i++)
        {
            store.Issue();
        }
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task ChallengeStore_redeems_once_under_contention()
    {
        var store = new ChallengeStore(TimeSpan.FromSeconds(30), 10, _time);
        var (nonce, _) = store.Issue();
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return store.Redeem(nonce);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(racers);
        Assert.Equal(1, results.Count(r => r == ChallengeRedemption.Redeemed));
        Assert.Equal(7, results.Count(r => r == ChallengeRedemption.Replayed));
    }
}
