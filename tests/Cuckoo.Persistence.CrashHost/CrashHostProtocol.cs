using Cuckoo.Persistence;

namespace Cuckoo.Persistence.CrashHost;

/// <summary>Persists the next event (the actor sends it to itself after each handler).</summary>
public sealed record PersistNext;

[EventManifest("crash-test.counted.v1")]
public sealed record CountedEvent(long Value) : IPersistedEvent;
