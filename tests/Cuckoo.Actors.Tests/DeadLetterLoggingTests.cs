using System.Collections.Concurrent;
using Cuckoo.Actors;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class DeadLetterLoggingTests() : TestKit.TestKit(new ActorSystemSettings { LoggerFactory = Logs, LogDeadLetters = 2 })
{
    private static readonly CapturingLoggerFactory Logs = new();

    [Fact]
    public async Task Dead_letters_are_logged_with_sender_and_recipient_up_to_the_limit()
    {
        var actor = Sys.ActorOf(EchoActor.Props(), "gone");
        Watch(actor);
        Sys.Stop(actor);
        await ExpectTerminatedAsync(actor);
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        for (var i = 0; i < 3; i++) actor.Tell($"late-{i}", TestActor);
        // All are published, only the first two logged.
        for (var i = 0; i < 3; i++) await deadLetters.ExpectMsgAsync<DeadLetter>();
        var lines = Logs.Lines(Sys.Name).Where(l => l.StartsWith("Cuckoo.Actors.DeadLetters", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("/user/gone", lines[0]);
        Assert.Contains("/system/testActor", lines[0]);
        Assert.Contains("not logged", lines[1]);
    }

    /// <summary>Records formatted log lines, per actor system name found in them.</summary>
    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines(string systemName) => _lines.Where(l => l.Contains(systemName)).ToList();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)}");
        }
    }
}
