namespace Cuckoo.Persistence.Tests;

[EventManifest("test.counted.v1")]
public sealed record Counted(string Writer, long Value) : IPersistedEvent;

[EventManifest("test.list-snapshot.v1")]
public sealed record ListSnapshot(IReadOnlyList<string> Items) : IPersistedEvent;

[EventManifest("test.item-added.v1")]
public sealed record ItemAdded(string Item) : IPersistedEvent;

/// <summary>Claims the same manifest as <see cref="DuplicateB"/>: neither may be read or written by a scanning registry.</summary>
[EventManifest("test.duplicate.v1")]
public sealed record DuplicateA(int Value) : IPersistedEvent;

[EventManifest("test.duplicate.v1")]
public sealed record DuplicateB(int Value) : IPersistedEvent;

/// <summary>Implements the marker but forgot its manifest.</summary>
public sealed record WithoutManifest(int Value) : IPersistedEvent;

/// <summary>Cannot be turned into JSON: its getter throws as System.Text.Json reads it, so the journal must reject it.</summary>
[EventManifest("test.unserializable.v1")]
public sealed class Unserializable : IPersistedEvent
{
    public int Value => throw new NotSupportedException("this value cannot be serialized");
}

/// <summary>The type as an older build named it; <see cref="TaskAccepted"/> is its renamed successor (same manifest).</summary>
[EventManifest("test.task-accepted.v1")]
public sealed record TaskAcceptedBeforeRename(string TaskId, string Model) : IPersistedEvent;

[EventManifest("test.task-accepted.v1")]
public sealed record TaskAccepted(string TaskId, string Model) : IPersistedEvent;

/// <summary>An event type a later build deleted: its stored manifest becomes unknown.</summary>
[EventManifest("test.retired.v1")]
public sealed record RetiredEvent(int Value) : IPersistedEvent;
