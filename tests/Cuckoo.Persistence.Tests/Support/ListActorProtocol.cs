namespace Cuckoo.Persistence.Tests;

public sealed record Append(string Value);

public sealed record AppendAll(IReadOnlyList<string> Values);

public sealed record AppendUnserializable;

public sealed record GetState;

/// <summary>Switches the list to a read-only behaviour until <see cref="Thaw"/>.</summary>
public sealed record Freeze;

public sealed record Thaw;

/// <summary>Makes the command handler throw, so the supervisor restarts the actor.</summary>
public sealed record Crash;

public sealed record Refused(string Value);

public sealed record State(IReadOnlyList<string> Items, long LastSequenceNr);

public sealed record TakeSnapshot;

public sealed record DeleteUpTo(long SequenceNr);

public sealed record Appended(string Value, long SequenceNr);

/// <summary>Sent to the recovery probe once recovery completes.</summary>
public sealed record Recovered(IReadOnlyList<string> Items, long LastSequenceNr, long SnapshotSequenceNr);

/// <summary>Sent to the recovery probe for a snapshot offer.</summary>
public sealed record OfferedSnapshot(IReadOnlyList<string> Items, long SequenceNr);

/// <summary>Sent to the recovery probe for each replayed event.</summary>
public sealed record Replayed(string Value, long SequenceNr);

[EventManifest("test.item-added.v1")]
public sealed record ItemAdded(string Value);

[EventManifest("test.list-snapshot.v1")]
public sealed record ListSnapshot(IReadOnlyList<string> Items);
