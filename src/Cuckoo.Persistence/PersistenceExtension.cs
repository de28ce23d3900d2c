using System.Runtime.CompilerServices;
using Cuckoo.Actors;

namespace Cuckoo.Persistence;

/// <summary>
/// The journal and snapshot store of one actor system. Install it with <see cref="PersistenceSystemExtensions.UsePersistence"/>
/// before creating persistent actors; the storage it created is released when the system terminates.
/// </summary>
public sealed class PersistenceExtension : IAsyncDisposable
{
    // Which systems have persistence, checked before asking the kernel: its extension map caches a factory's exception.
    private static readonly ConditionalWeakTable<ActorSystem, PersistenceExtension> Installed = new();

    private readonly bool _ownsJournal;
    private readonly bool _ownsSnapshotStore;

    private PersistenceExtension(ActorSystem system, PersistenceSettings settings)
    {
        settings.Validate();
        Settings = settings;
        var time = system.Time;
        _ownsJournal = settings.Journal is null;
        _ownsSnapshotStore = settings.SnapshotStore is null;
        Journal = settings.Journal ?? settings.Provider switch
        {
            PersistenceProvider.Sqlite => new SqliteJournal(settings.ConnectionString, settings.Registry, time, settings.SqliteDurability, settings.MaxBatchEvents),
            PersistenceProvider.Postgres => new PostgresJournal(settings.ConnectionString, settings.Registry, time, settings.MaxBatchEvents),
            _ => new InMemoryJournal(settings.Registry, time, settings.MaxBatchEvents),
        };
        SnapshotStore = settings.SnapshotStore ?? settings.Provider switch
        {
            PersistenceProvider.Sqlite => new SqliteSnapshotStore(settings.ConnectionString, settings.Registry, settings.SqliteDurability),
            PersistenceProvider.Postgres => new PostgresSnapshotStore(settings.ConnectionString, settings.Registry),
            _ => new InMemorySnapshotStore(settings.Registry),
        };
        system.WhenTerminated.ContinueWith(_ => DisposeAsync().AsTask(), TaskScheduler.Default);
        Installed.AddOrUpdate(system, this);
    }

    public PersistenceSettings Settings { get; }

    public IJournal Journal { get; }

    public ISnapshotStore SnapshotStore { get; }

    /// <exception cref="InvalidOperationException">Persistence was not installed on <paramref name="system"/>.</exception>
    public static PersistenceExtension Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Installed.TryGetValue(system, out var extension)
            ? extension
            : throw new InvalidOperationException(
                $"Actor system '{system.Name}' has no persistence: call system.UsePersistence(PersistenceSettings.Sqlite(...)) before creating persistent actors.");
    }

    /// <summary>Commits accepted writes and releases the storage this extension created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsJournal)
        {
            await Journal.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsSnapshotStore)
        {
            await SnapshotStore.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static PersistenceExtension Install(ActorSystem system, PersistenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var extension = system.GetOrAddExtension(s => new PersistenceExtension(s, settings));
        if (extension.Settings != settings)
        {
            throw new InvalidOperationException($"Actor system '{system.Name}' already uses persistence with other settings ({extension.Settings.Provider}).");
        }

        return extension;
    }
}

public static class PersistenceSystemExtensions
{
    /// <summary>Installs persistence on <paramref name="system"/>; calling it again with equal settings returns the same extension.</summary>
    /// <exception cref="InvalidOperationException">Already installed with different settings.</exception>
    public static PersistenceExtension UsePersistence(this ActorSystem system, PersistenceSettings settings) =>
        PersistenceExtension.Install(system, settings);
}
