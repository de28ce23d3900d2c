namespace Cuckoo.Actors.TestKit;

/// <summary>
/// Base class for actor tests (works as an xunit test class base): a fresh <see cref="ActorSystem"/> per test, a
/// <see cref="TestActor"/> to use as sender and to expect replies on, probes, and optionally a fake clock that drives every
/// timer of the system. Disposing terminates the system.
/// </summary>
public abstract class TestKit : IDisposable, IAsyncDisposable
{
    private static long s_counter;
    private readonly FakeTimeProvider? _clock;
    private int _disposed;

    protected TestKit(ActorSystemSettings? settings = null, bool useFakeClock = false)
    {
        settings ??= ActorSystemSettings.Default;
        if (useFakeClock && settings.Time is not FakeTimeProvider)
        {
            settings = settings with { Time = new FakeTimeProvider() };
        }
        _clock = settings.Time as FakeTimeProvider;
        var name = new string(GetType().Name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray());
        Sys = ActorSystem.Create($"{(name.Length > 0 ? name : "test")}-{Interlocked.Increment(ref s_counter)}", settings);
        TestActor = new TestProbe(Sys, "testActor");
    }

    public ActorSystem Sys { get; }

    /// <summary>The default probe: pass it as sender, and the Expect* methods of this class read from it.</summary>
    public TestProbe TestActor { get; }

    /// <summary>The fake clock driving the system's timers (only with useFakeClock or a FakeTimeProvider in the settings).</summary>
    public FakeTimeProvider Clock => _clock ?? throw new InvalidOperationException("This TestKit was created without a fake clock (useFakeClock: false)");

    /// <summary>Sender of the last message <see cref="TestActor"/> took off its queue.</summary>
    public IActorRef? LastSender => TestActor.LastSender;

    public TimeSpan DefaultTimeout
    {
        get => TestActor.DefaultTimeout;
        set => TestActor.DefaultTimeout = value;
    }

    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name);

    public Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null) => TestActor.ExpectMsgAsync<T>(timeout);

    public Task<T> ExpectMsgAsync<T>(Predicate<T> predicate, TimeSpan? timeout = null) => TestActor.ExpectMsgAsync(predicate, timeout);

    public Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) => TestActor.ExpectMsgAsync(expected, timeout);

    public Task ExpectNoMsgAsync(TimeSpan duration) => TestActor.ExpectNoMsgAsync(duration);

    public Task<T> FishForMessageAsync<T>(Predicate<T> isTheOne, TimeSpan? timeout = null) => TestActor.FishForMessageAsync(isTheOne, timeout);

    public Task<object> ReceiveOneAsync(TimeSpan? timeout = null) => TestActor.ReceiveOneAsync(timeout);

    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor, TimeSpan? timeout = null) => TestActor.ExpectTerminatedAsync(actor, timeout);

    /// <summary><see cref="TestActor"/> watches <paramref name="actor"/>.</summary>
    public IActorRef Watch(IActorRef actor) => TestActor.Watch(actor);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after the timeout (real time).</summary>
    public async Task AwaitConditionAsync(Func<bool> condition, TimeSpan? timeout = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TestKitAssertionException($"Condition not met within {limit}{(message is null ? "" : ": " + message)}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(5)).ConfigureAwait(false);
        }
    }

    /// <summary>Retries <paramref name="assertion"/> until it stops throwing; rethrows its last failure after the timeout.</summary>
    public async Task AwaitAssertAsync(Action assertion, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5)).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var terminate = Sys.TerminateAsync();
        if (_clock is null)
        {
            await terminate.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            GC.SuppressFinalize(this);
            return;
        }
        // Phase timeouts run on the fake clock: keep it moving while the system terminates, so a hung task cannot hang the test.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!terminate.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.WhenAny(terminate, Task.Delay(TimeSpan.FromMilliseconds(20))).ConfigureAwait(false);
            if (!terminate.IsCompleted) _clock.Advance(TimeSpan.FromSeconds(1));
        }
        await terminate.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
