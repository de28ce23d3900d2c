using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cuckoo.Testing;

/// <summary>
/// A throw-away PostgreSQL server: a temporary cluster (initdb) started with pg_ctl on a free 127.0.0.1 port, its
/// socket inside the temporary folder; stopped and deleted on dispose. PostgreSQL refuses to run as root, so as root
/// the cluster belongs to, and runs as, the <c>postgres</c> OS user. Linked into the persistence tests (as an xunit
/// fixture) and the persistence benchmark, which stays free of test packages.
/// </summary>
public sealed class TempPostgres : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cuckoo-pg-" + Guid.NewGuid().ToString("N"));
    private readonly string _bin;
    private bool _started;

    private TempPostgres(string bin) => _bin = bin;

    public string ConnectionString { get; private set; } = "";

    private string DataDir => Path.Combine(_root, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// Starts a server. <paramref name="durable"/> keeps fsync on, for benchmarks whose figures must include it;
    /// tests turn it off, since a crash of the machine is not what they are about.
    /// </summary>
    public static async Task<TempPostgres> StartAsync(bool durable, string connectionOptions = "")
    {
        var server = new TempPostgres(FindBinaries());
        try
        {
            await server.StartCoreAsync(durable, connectionOptions);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(bool durable, string connectionOptions)
    {
        Directory.CreateDirectory(_root);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        }

        string[] initdb = ["-D", DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions"];
        await RunAsync(Path.Combine(_bin, "initdb"), durable ? initdb : [.. initdb, "--no-sync"]);
        var port = FreePort();
        var options = $"-p {port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=200"
                      + (durable ? "" : " -c fsync=off -c full_page_writes=off");
        await RunAsync(Path.Combine(_bin, "pg_ctl"),
            ["-D", DataDir, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o", options, "start"]);
        _started = true;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres" + connectionOptions;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql: run ./build.sh setup (installs the Debian package postgresql).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> args, bool asPostgres = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
