using Cuckoo.Persistence;

namespace Cuckoo.Persistence.Tests;

[EventManifest("test.counted.v1")]
public sealed record Counted(string Writer, long Value);

[EventManifest("test.state-snapshot.v1")]
public sealed record StateSnapshot(string State, int Count);

/// <summary>Deliberately has no manifest: persisting it must fail clearly.</summary>
public sealed record NoManifestEvent(int Value);

/// <summary>Today's name of the event that was first stored as <see cref="TaskAcceptedBeforeRename"/>.</summary>
[EventManifest("test.task-accepted.v1")]
public sealed record TaskAccepted(string TaskId, string Model);

/// <summary>The same event under its old C# name (registered explicitly, as the old build's attribute did).</summary>
public sealed record TaskAcceptedBeforeRename(string TaskId, string Model);

/// <summary>Stands for an event type deleted from the code base; only explicitly registered registries know it.</summary>
public sealed record RetiredEvent(int Value);

[EventManifest("test.duplicate.v1")]
public sealed record DuplicateA(int Value);

[EventManifest("test.duplicate.v1")]
public sealed record DuplicateB(int Value);
