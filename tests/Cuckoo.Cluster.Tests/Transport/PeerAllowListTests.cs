using Cuckoo.Cluster.Transport;
using Xunit;

namespace Cuckoo.Cluster.Tests.Transport;

public sealed class PeerAllowListTests
{
    private static readonly string A = new('a', 64);
    private static readonly string B = new('b', 64);
    private static readonly string C = new('c', 64);

    [Fact]
    public void Pinned_thumbprints_are_allowed_and_cannot_be_revoked()
    {
        var list = new PeerAllowList([A.ToUpperInvariant()]);

        Assert.True(list.IsAllowed(A));
        Assert.False(list.Revoke(A));
        Assert.True(list.IsAllowed(A));
        Assert.Equal(new[] { A }, list.Pinned);
        Assert.Empty(list.Admitted);
    }

    [Fact]
    public void Allow_admits_and_revoke_removes()
    {
        var list = new PeerAllowList();

        list.Allow(B, "0xminer");

        Assert.True(list.IsAllowed(B));
        Assert.Equal("0xminer", list.Admitted[B]);
        Assert.True(list.Revoke(B));
        Assert.False(list.IsAllowed(B));
        Assert.False(list.Revoke(B));
    }

    [Fact]
    public void ReplaceAdmitted_swaps_the_whole_set_and_keeps_the_pinned()
    {
        var list = new PeerAllowList([A]);
        list.Allow(B, "old");

        list.ReplaceAdmitted([new(C, "new")]);

        Assert.True(list.IsAllowed(A));
        Assert.False(list.IsAllowed(B));
        Assert.Equal("new", list.LabelOf(C));
        Assert.Equal("pinned", list.LabelOf(A));
    }

    [Fact]
    public void Colons_spaces_and_case_do_not_matter()
    {
        var list = new PeerAllowList();
        var printed = string.Join(":", Enumerable.Range(0, 32).Select(_ => "BB"));

        list.Allow(printed, "miner");

        Assert.True(list.IsAllowed(B));
        Assert.Equal(new[] { B }, list.Admitted.Keys);
    }

    [Fact]
    public void Malformed_thumbprints_are_refused_in_one_sentence_and_never_allowed()
    {
        var list = new PeerAllowList();

        var error = Assert.Throws<ArgumentException>(() => list.Allow("abc", "miner"));

        Assert.StartsWith("'abc' is not a certificate thumbprint: expected 64 hex characters (SHA-256).", error.Message);
        Assert.False(list.IsAllowed("abc"));
        Assert.False(list.IsAllowed(new string('g', 64)));
        Assert.Throws<ArgumentException>(() => new PeerAllowList(["sha1-is-too-short"]));
    }

    [Fact]
    public void Concurrent_readers_see_every_write_without_a_lock()
    {
        var list = new PeerAllowList();
        var thumbprints = Enumerable.Range(0, 500).Select(i => i.ToString("x64")).ToArray();

        Parallel.Invoke(
            () => Parallel.ForEach(thumbprints, t => list.Allow(t, "m")),
            () => Parallel.For(0, 5_000, i => list.IsAllowed(thumbprints[i % thumbprints.Length])));

        Assert.All(thumbprints, t => Assert.True(list.IsAllowed(t)));
        Assert.Equal(500, list.Admitted.Count);
    }
}
