using System.Numerics;
using Cuckoo.Chain;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cuckoo.Miner.Tests;

/// <summary>The node's capacity divided among its coordinators by their standing on chain, as a fake chain reports it.</summary>
public sealed class CreditAllocatorTests
{
    private readonly Address _big = EthKey.Generate().Address;
    private readonly Address _small = EthKey.Generate().Address;
    private readonly Dictionary<Address, CoordinatorStanding?> _chain = [];

    private CreditAllocator Allocator(int capacity) =>
        new(capacity, [_big, _small], (coordinator, _) => _chain[coordinator] is { } standing
            ? Task.FromResult(standing)
            : Task.FromException<CoordinatorStanding>(new HttpRequestException("connection refused")), NullLogger.Instance);

    [Fact]
    public async Task Capacity_follows_the_coordinators_weights()
    {
        _chain[_big] = new CoordinatorStanding(300, Active: true);
        _chain[_small] = new CoordinatorStanding(100, Active: true);
        var allocator = Allocator(4);
        Assert.Equal((0, 0), (allocator.For(_big).Value, allocator.For(_small).Value));

        await allocator.RefreshAsync(CancellationToken.None);
        Assert.Equal((3, 1), (allocator.For(_big).Value, allocator.For(_small).Value));

        _chain[_small] = new CoordinatorStanding(300, Active: true);
        await allocator.RefreshAsync(CancellationToken.None);
        Assert.Equal((2, 2), (allocator.For(_big).Value, allocator.For(_small).Value));
    }

    [Fact]
    public async Task An_inactive_coordinator_gets_nothing_and_the_others_take_its_share()
    {
        _chain[_big] = new CoordinatorStanding(300, Active: true);
        _chain[_small] = new CoordinatorStanding(100, Active: true);
        var allocator = Allocator(4);
        await allocator.RefreshAsync(CancellationToken.None);

        _chain[_big] = new CoordinatorStanding(300, Active: false);
        await allocator.RefreshAsync(CancellationToken.None);
        Assert.Equal((0, 4), (allocator.For(_big).Value, allocator.For(_small).Value));
    }

    [Fact]
    public async Task A_failed_read_keeps_the_last_standing()
    {
        _chain[_big] = new CoordinatorStanding(300, Active: true);
        _chain[_small] = new CoordinatorStanding(100, Active: true);
        var allocator = Allocator(4);
        await allocator.RefreshAsync(CancellationToken.None);

        _chain[_big] = null;
        await allocator.RefreshAsync(CancellationToken.None);
        Assert.Equal((3, 1), (allocator.For(_big).Value, allocator.For(_small).Value));
    }

    [Fact]
    public async Task A_coordinator_never_read_gets_nothing_until_it_is()
    {
        _chain[_big] = null;
        _chain[_small] = new CoordinatorStanding(100, Active: true);
        var allocator = Allocator(4);
        await allocator.RefreshAsync(CancellationToken.None);
        Assert.Equal((0, 4), (allocator.For(_big).Value, allocator.For(_small).Value));

        _chain[_big] = new CoordinatorStanding(BigInteger.Pow(10, 24), Active: true);
        await allocator.RefreshAsync(CancellationToken.None);
        Assert.Equal((4, 0), (allocator.For(_big).Value, allocator.For(_small).Value));
    }

    [Fact]
    public void Only_the_coordinators_served_have_credits()
    {
        Assert.Throws<ArgumentException>(() => Allocator(1).For(EthKey.Generate().Address));
    }
}
