using Xunit;

namespace Cuckoo.Persistence.Tests;

/// <summary>A TestKit with a temporary folder for SQLite files, deleted with the test.</summary>
public abstract class PersistenceTestKit : Cuckoo.Actors.TestKit.TestKit, IDisposable, IAsyncDisposable
{
    protected static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly TempDirectory _dir = new();

    protected string DbPath => _dir.File("actors.db");

    protected string FileIn(string name) => _dir.File(name);

    void IDisposable.Dispose()
    {
        Dispose();
        _dir.Dispose();
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        _dir.Dispose();
    }
}
