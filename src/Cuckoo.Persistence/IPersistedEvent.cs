namespace Cuckoo.Persistence;

/// <summary>Marks an event or snapshot that a journal stores; the serializer bound to it in HOCON writes it under its <see cref="EventManifestAttribute"/>.</summary>
public interface IPersistedEvent;
