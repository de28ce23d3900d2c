using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cuckoo.Persistence.Benchmarks;

/// <summary>
/// A throw-away PostgreSQL server for a benchmark run (initdb + pg_ctl on a free 127.0.0.1 port, as user postgres when
/// run as root), with durable commits (fsync on), unlike the test server. The test suite's PostgresServer is the same
/// idea bound to xunit's fixture interface; this one stays free of test packages.
/// </summary>
public sealed class TempPostgres : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cuckoo-bench-pg-" + Guid.NewGuid().ToString("N"));
    private readonly string _bin;

    private TempPostgres(string bin) => _bin = bin;

    public string ConnectionString { get; private set; } = "";

    private string DataDir => Path.Combine(_root, "data");

    private static bool IsRoot => Environment.UserName == "root";

    public static async Task<TempPostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        var server = new TempPostgres(bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql: run ./build.sh setup."));
        Directory.CreateDirectory(server._root);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", server._root], asPostgres: false);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", server.DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions"]);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await RunAsync(Path.Combine(bin, "pg_ctl"),
        [
            "-D", server.DataDir, "-l", Path.Combine(server._root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {server._root} -c listen_addresses=127.0.0.1 -c max_connections=200", "start",
        ]);
        server.ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Maximum Pool Size=150";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
        Directory.Delete(_root, recursive: true);
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
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
