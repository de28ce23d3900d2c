using Akka.Coordination;
using Xunit;
using static Cuckoo.Cluster.Tests.Lease.LeaseTestConfig;

namespace Cuckoo.Cluster.Tests.Lease;

/// <summary>
/// What every Cuckoo lease must do, in the style of Akka's JournalSpec: one abstract suite that each implementation
/// runs. Leases are built with heartbeat-timeout 2 s, heartbeat-interval 200 ms and safety-margin 300 ms. Where lease
/// time has to pass (expiry, renewal past the timeout) the suite waits on a condition with a deadline; the in-memory
/// lease moves a fake clock there instead of waiting.
/// </summary>
public abstract class LeaseSpec
{
    protected abstract Akka.Coordination.Lease NewLease(string name, string owner);

    protected abstract long? TokenOf(Akka.Coordination.Lease lease);

    /// <summary>Stands in for SIGSTOP on the holder's process.</summary>
    protected abstract void Freeze(Akka.Coordination.Lease lease);

    /// <summary>Stands in for SIGCONT.</summary>
    protected abstract void Thaw(Akka.Coordination.Lease lease);

    /// <summary>The store's clock (the database's now() for PostgreSQL).</summary>
    protected abstract Task<DateTimeOffset> StoreNowAsync();

    /// <summary>
    /// Checks <paramref name="condition"/> until it holds, letting lease time pass between checks; false if it still
    /// fails once <paramref name="within"/> of lease time (plus, on a real clock, <see cref="LeaseTestConfig.Patience"/>) has passed.
    /// </summary>
    protected abstract Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within);

    [Fact]
    public async Task A_free_lease_is_acquired_with_a_token()
    {
        var lease = NewLease(NewName(), "node-a:1");

        Assert.False(lease.CheckLease());
        Assert.True(await lease.Acquire());
        Assert.True(lease.CheckLease());
        Assert.NotNull(TokenOf(lease));
    }

    [Fact]
    public async Task A_second_owner_cannot_acquire_while_the_lease_is_held()
    {
        var name = NewName();
        var a = NewLease(name, "node-a:1");
        var b = NewLease(name, "node-b:1");
        Assert.True(await a.Acquire());

        Assert.False(await b.Acquire());
        Assert.False(b.CheckLease());
        Assert.Null(TokenOf(b));
        Assert.True(a.CheckLease());
    }

    [Fact]
    public async Task Acquire_by_the_current_owner_is_idempotent_and_keeps_the_token()
    {
        var lease = NewLease(NewName(), "node-a:1");
        Assert.True(await lease.Acquire());
        var token = TokenOf(lease);

        Assert.True(await lease.Acquire());
        Assert.True(await lease.Acquire(_ => { }));
        Assert.True(lease.CheckLease());
        Assert.Equal(token, TokenOf(lease));
    }

    [Fact]
    public async Task Renewal_keeps_the_lease_held_past_the_heartbeat_timeout()
    {
        var name = NewName();
        var a = NewLease(name, "node-a:1");
        var lost = 0;
        Assert.True(await a.Acquire(_ => Interlocked.Increment(ref lost)));
        var token = TokenOf(a);

        await LetLeaseTimePassAsync(Ttl * 1.5);

        Assert.True(a.CheckLease());
        Assert.Equal(token, TokenOf(a));
        Assert.Equal(0, lost);
        Assert.False(await NewLease(name, "node-b:1").Acquire());
    }

    [Fact]
    public async Task Once_the_holder_stops_renewing_another_owner_acquires_after_expiry_with_a_larger_token()
    {
        var name = NewName();
        var a = NewLease(name, "node-a:1");
        var b = NewLease(name, "node-b:1");
        Assert.True(await a.Acquire());
        var first = TokenOf(a)!.Value;

        Freeze(a);

        Assert.True(await EventuallyAsync(() => b.Acquire(), Ttl * 2));
        Assert.True(TokenOf(b) > first);
        Assert.False(a.CheckLease());
    }

    [Fact]
    public async Task Release_lets_another_owner_acquire_at_once()
    {
        var name = NewName();
        var a = NewLease(name, "node-a:1");
        var b = NewLease(name, "node-b:1");
        var lost = 0;
        Assert.True(await a.Acquire(_ => Interlocked.Increment(ref lost)));
        var first = TokenOf(a)!.Value;

        Assert.True(await a.Release());

        Assert.False(a.CheckLease());
        Assert.Null(TokenOf(a));
        Assert.True(await b.Acquire());
        Assert.True(TokenOf(b) > first);
        // A release is not a loss: Akka's singleton only stops its actor on the callback.
        Assert.Equal(0, lost);
    }

    [Fact]
    public async Task Release_by_an_owner_that_does_not_hold_the_lease_changes_nothing()
    {
        var name = NewName();
        var a = NewLease(name, "node-a:1");
        var b = NewLease(name, "node-b:1");
        Assert.True(await a.Acquire());

        Assert.False(await b.Release());

        Assert.True(a.CheckLease());
        Assert.False(await b.Acquire());
    }

    [Fact]
    public async Task After_loss_CheckLease_is_false_and_the_lost_callback_fires_exactly_once()
    {
        var name = NewName();
        var a = NewLease(name, "node-a:1");
        var b = NewLease(name, "node-b:1");
        var lost = 0;
        Exception? reason = null;
        Assert.True(await a.Acquire(e =>
        {
            reason = e;
            Interlocked.Increment(ref lost);
        }));

        Freeze(a);
        // The local deadline passes before the store's expiry, even for a process that notices nothing.
        Assert.True(await EventuallyAsync(() => Task.FromResult(!a.CheckLease()), Ttl));
        Assert.Equal(0, lost);
        Assert.True(await EventuallyAsync(() => b.Acquire(), Ttl * 2));

        Thaw(a);
        Assert.True(await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref lost) > 0), Interval * 5));
        await LetLeaseTimePassAsync(Interval * 5);

        Assert.Equal(1, lost);
        Assert.IsAssignableFrom<LeaseException>(reason);
        Assert.False(a.CheckLease());
        Assert.Null(TokenOf(a));
        Assert.True(b.CheckLease());
    }

    [Fact]
    public async Task A_holder_that_lost_the_lease_can_acquire_it_again_once_free()
    {
        var name = NewName();
        var a = NewLease(name, "node-a:1");
        var b = NewLease(name, "node-b:1");
        Assert.True(await a.Acquire());
        Freeze(a);
        Assert.True(await EventuallyAsync(() => b.Acquire(), Ttl * 2));
        var second = TokenOf(b)!.Value;
        Thaw(a);
        Assert.True(await b.Release());

        // What Akka's singleton manager does after the callback: acquire the same lease object again.
        Assert.True(await a.Acquire());

        Assert.True(a.CheckLease());
        Assert.True(TokenOf(a) > second);
    }

    /// <summary>Waits, on the store's clock, until <paramref name="span"/> has passed.</summary>
    private async Task LetLeaseTimePassAsync(TimeSpan span)
    {
        var until = await StoreNowAsync() + span;
        Assert.True(await EventuallyAsync(async () => await StoreNowAsync() >= until, span));
    }
}
