namespace Cuckoo.Actors.TestKit;

/// <summary>An expectation of the TestKit was not met; test frameworks report it as a failure.</summary>
public sealed class TestKitAssertionException(string message) : Exception(message);
