namespace Cuckoo.Gateway.Hosting;

/// <summary>
/// The API key file as the gateway reads it: loaded again when its size or write time changes, so that
/// <c>cuckoo apikey new</c> takes effect without a restart. A file that stops parsing keeps the last good keys (and says
/// so in the log) rather than locking every app out; a missing file means no keys.
/// </summary>
public sealed class ApiKeyFile(string path, Action<string>? warn = null)
{
    private readonly Lock _gate = new();
    private ApiKeyStore _store = new([]);
    private (long Length, DateTime Written)? _seen;

    public string Path { get; } = path;

    public ApiKeyStore Current
    {
        get
        {
            var info = new FileInfo(Path);
            (long, DateTime)? now = info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
            lock (_gate)
            {
                if (now == _seen)
                {
                    return _store;
                }
                _seen = now;
                try
                {
                    _store = now is null ? new ApiKeyStore([]) : ApiKeyStore.Load(Path);
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    warn?.Invoke($"API key file {Path} could not be read; keeping the {_store.Count} keys read before: {e.Message}");
                }
                return _store;
            }
        }
    }
}
