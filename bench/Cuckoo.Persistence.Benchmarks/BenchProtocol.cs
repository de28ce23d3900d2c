using Cuckoo.Persistence;

namespace Cuckoo.Persistence.Benchmarks;

/// <summary>Persist this many events, one at a time, then count down <see cref="Done"/>.</summary>
public sealed record PersistMany(int Count, Countdown Done);

[EventManifest("bench.ticked.v1")]
public sealed record Ticked(long Value);
