using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cuckoo.Actors;

/// <summary>Settings of an <see cref="ActorSystem"/>.</summary>
public sealed record ActorSystemSettings
{
    public static readonly ActorSystemSettings Default = new();

    /// <summary>The clock for timers, receive timeouts, Ask timeouts, backoff and shutdown timeouts; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the kernel and actors log; default a factory that discards everything.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Mailbox of actors whose props name none; default unbounded.</summary>
    public MailboxOptions DefaultMailbox { get; init; } = MailboxOptions.Default;

    /// <summary>How the <c>/user</c> guardian supervises top-level actors; default <see cref="SupervisorStrategy.DefaultStrategy"/>.</summary>
    public SupervisorStrategy? GuardianSupervisorStrategy { get; init; }

    /// <summary>Dead letters logged before further ones are only counted (they are still published); default 100, 0 disables logging.</summary>
    public int LogDeadLetters { get; init; } = 100;

    /// <summary>
    /// Whether an actor that becomes runnable is queued on the current pool thread's local queue (faster hand-offs between
    /// actors that talk to each other) rather than the global queue (fairer); default false.
    /// </summary>
    public bool PreferLocalScheduling { get; init; }

    /// <summary>The ordered phases of <see cref="CoordinatedShutdown"/>; default <see cref="CoordinatedShutdown.DefaultPhases"/>.</summary>
    public IReadOnlyList<ShutdownPhase>? ShutdownPhases { get; init; }
}
