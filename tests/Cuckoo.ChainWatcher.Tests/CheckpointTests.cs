using Xunit;

namespace Cuckoo.ChainWatcher.Tests;

public sealed class CheckpointTests
{
    [Fact]
    public void Checkpoint_advances_and_keeps_only_the_reorg_window()
    {
        var c = ChainCheckpoint.Initial(10);
        Assert.Equal(9, c.Block);
        Assert.Null(c.Hash);
        c = c.Advance(new BlockRef(20, "0x20"), [new BlockRef(12, "0x12"), new BlockRef(15, "0x15"), new BlockRef(15, "0x15")], window: 3);
        Assert.Equal(new[] { 12L, 15, 20 }, c.Recent.Select(b => b.Number));
        c = c.Advance(new BlockRef(25, "0x25"), [], window: 3);
        Assert.Equal(new[] { 15L, 20, 25 }, c.Recent.Select(b => b.Number));
        Assert.Equal((25L, "0x25"), (c.Block, c.Hash));
    }

    [Fact]
    public void Checkpoint_rewinds_to_a_fork_point_and_forgets_later_blocks()
    {
        var c = ChainCheckpoint.Initial(1).Advance(new BlockRef(8, "0x8"), [new BlockRef(3, "0x3"), new BlockRef(5, "0x5")], 10);
        var rewound = c.RewindTo(new BlockRef(5, "0x5"));
        Assert.Equal((5L, "0x5"), (rewound.Block, rewound.Hash));
        Assert.Equal(new[] { 3L, 5 }, rewound.Recent.Select(b => b.Number));
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        var ok = new ChainWatcherSettings { RpcUrl = new Uri("http://127.0.0.1:1"), Staking = default };
        ok.Validate();
        Assert.Throws<ArgumentException>(() => (ok with { Confirmations = -1 }).Validate());
        Assert.Throws<ArgumentException>(() => (ok with { MaxBackoff = TimeSpan.FromMilliseconds(1) }).Validate());
        Assert.Throws<ArgumentException>(() => ChainWatcher.Props(ok with { PersistenceId = " " }));
    }

    [Theory]
    [InlineData(31_337L, null, 0)] // Hardhat automines: no block comes on top of the newest
    [InlineData(1_337L, null, 0)]
    [InlineData(1L, null, 2)]
    [InlineData(null, null, 2)] // unknown chain: careful
    [InlineData(31_337L, 3, 3)] // an explicit setting wins
    public void Confirmations_default_to_zero_only_on_automining_devnets(long? chainId, int? configured, int expected)
    {
        var settings = new ChainWatcherSettings { RpcUrl = new Uri("http://127.0.0.1:1"), Staking = default, ChainId = chainId, Confirmations = configured };
        Assert.Equal(expected, settings.EffectiveConfirmations);
    }
}
