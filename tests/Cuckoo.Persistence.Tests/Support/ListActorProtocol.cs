namespace Cuckoo.Persistence.Tests;

/// <summary>Persist one item with <c>Persist</c>; the handler reports <see cref="Persisted"/>.</summary>
public sealed record Add(string Item);

/// <summary>Persist several items in one <c>PersistAll</c> (one atomic write).</summary>
public sealed record AddAll(IReadOnlyList<string> Items);

/// <summary>Persist with <c>PersistAsync</c>, then <c>DeferAsync</c> a <see cref="Deferred"/> report.</summary>
public sealed record AddAsync(string Item);

/// <summary>Persist an event the serializer cannot write (the journal must reject it).</summary>
public sealed record AddUnserializable;

/// <summary>Persist with <c>Persist</c> and then <c>DeferAsync</c> a <see cref="Deferred"/> report (Akka.NET's only Defer).</summary>
public sealed record AddThenDefer(string Item);

public sealed record TakeSnapshot;

public sealed record GetState;

/// <summary>Reports to the probe.</summary>
public sealed record Persisted(string Item, long SequenceNr);

public sealed record Deferred(string Item);

public sealed record Replayed(string Item, long SequenceNr);

public sealed record SnapshotOffered(long SequenceNr, IReadOnlyList<string> Items);

public sealed record Recovered(long LastSequenceNr);

public sealed record Rejected(string Reason, long SequenceNr);

public sealed record Failed(string Reason, long SequenceNr);

public sealed record SnapshotSaved(long SequenceNr);

public sealed record State(IReadOnlyList<string> Items, long LastSequenceNr);

public sealed record Pong(string Token);

public sealed record Ping(string Token);
