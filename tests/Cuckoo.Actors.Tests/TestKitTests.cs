using Cuckoo.Actors;
using Cuckoo.Actors.TestKit;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class TestKitTests : TestKit.TestKit
{
    [Fact]
    public async Task ExpectMsg_fails_on_timeout_and_on_wrong_type()
    {
        await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectMsgAsync<string>(TimeSpan.FromMilliseconds(50)));
        TestActor.Tell(1);
        var error = await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectMsgAsync<string>());
        Assert.Contains("Int32", error.Message);
    }

    [Fact]
    public async Task ExpectNoMsg_fails_when_a_message_arrives()
    {
        TestActor.Tell("surprise");
        await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task FishForMessage_skips_others()
    {
        TestActor.Tell(1);
        TestActor.Tell("x");
        TestActor.Tell(2);
        Assert.Equal(2, await FishForMessageAsync<int>(i => i > 1));
        await Assert.ThrowsAsync<TestKitAssertionException>(() => FishForMessageAsync<int>(_ => true, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task Probe_reply_goes_to_the_last_sender()
    {
        var probe = CreateTestProbe("replier");
        var ask = probe.Ask<string>("question", TimeSpan.FromSeconds(3));
        await probe.ExpectMsgAsync("question");
        probe.Reply("answer");
        Assert.Equal("answer", await ask);
        Assert.Equal("/system/replier", probe.Path.ToStringWithoutAddress());
    }

    [Fact]
    public async Task AwaitCondition_fails_after_its_timeout()
    {
        await Assert.ThrowsAsync<TestKitAssertionException>(() => AwaitConditionAsync(() => false, TimeSpan.FromMilliseconds(50)));
        var flag = false;
        _ = Task.Run(() => flag = true);
        await AwaitConditionAsync(() => Volatile.Read(ref flag));
    }

    [Fact]
    public void Clock_requires_the_fake_clock_option()
    {
        Assert.Throws<InvalidOperationException>(() => Clock);
    }

    [Fact]
    public void Fake_clock_fires_timers_in_due_order_and_periodically()
    {
        var clock = new FakeTimeProvider();
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => fired.Add($"tick@{clock.GetUtcNow():ss}"), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(["early", "tick@02", "late", "tick@04"], fired);
        periodic.Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(4, fired.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Fake_clock_fires_a_zero_delay_timer_at_once()
    {
        var clock = new FakeTimeProvider();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(1, fired);
        timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        Assert.Equal(1, fired);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, fired);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public async Task Fake_clock_drives_Task_Delay()
    {
        var clock = new FakeTimeProvider();
        var delay = Task.Delay(TimeSpan.FromMinutes(1), clock);
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        var start = clock.GetUtcNow();
        clock.SetUtcNow(start + TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromHours(1), clock.GetUtcNow() - start);
        Assert.Equal(TimeSpan.FromHours(1), clock.GetElapsedTime(clock.GetTimestamp() - TimeSpan.FromHours(1).Ticks));
    }
}
