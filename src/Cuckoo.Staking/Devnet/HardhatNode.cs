using System.ComponentModel;
using System.Diagnostics;
using Cuckoo.Chain;

namespace Cuckoo.Staking.Devnet;

/// <summary>
/// A Hardhat 2 node process on 127.0.0.1, started directly with node (not through npx, whose death would
/// orphan it) in its own session, so that it outlives the CLI that started it; output goes to a log file.
/// </summary>
public sealed class HardhatNode : IAsyncDisposable
{
    private readonly bool _owned;

    // True when this process started the node: its pid is known to be ours, so no command-line check is needed
    // (which matters while sh and setsid exec their way to node, when /proc/<pid>/cmdline can read empty).
    private readonly bool _startedHere;

    private HardhatNode(int pid, int port, string logFile, bool owned, bool startedHere)
    {
        Pid = pid;
        Port = port;
        LogFile = logFile;
        _owned = owned;
        _startedHere = startedHere;
    }

    public int Pid { get; }

    public int Port { get; }

    public string LogFile { get; }

    public Uri RpcUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts a node and waits until it answers <c>eth_chainId</c>.</summary>
    /// <param name="owned">True: disposing this object stops the node (tests). False: it keeps running (devnet).</param>
    /// <exception cref="DevnetException">node or Hardhat missing, the port taken, or not ready in time (with the log's tail).</exception>
    public static async Task<HardhatNode> StartAsync(
        string contractsDirectory, int port, string logFile, bool owned, TimeSpan readyTimeout, string nodeExecutable = "node",
        CancellationToken cancellationToken = default)
    {
        var bootstrap = Path.Combine(contractsDirectory, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
        if (!File.Exists(bootstrap))
        {
            throw new DevnetException($"Hardhat is not installed in {contractsDirectory}/node_modules: run ./build.sh setup (npm ci in contracts/).");
        }
        if (!PortIsFree(port))
        {
            throw new DevnetException($"Port {port} on 127.0.0.1 is already in use; pick another with --port.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        // sh redirects the output to the log and runs setsid, which (not being a group leader) exec's node in a
        // new session, so no terminal signal aimed at the CLI reaches it. Detached: sh exec's it, and the pid we
        // get is node's. Owned: sh stays as a watchdog that kills node once this process is gone, so that a
        // crashed test host leaves no node behind; stopping kills the tree.
        var script = owned
            ? "setsid \"$0\" \"$@\" >>\"$CUCKOO_HARDHAT_LOG\" 2>&1 </dev/null & node=$!; "
              + "while kill -0 \"$CUCKOO_OWNER_PID\" 2>/dev/null && kill -0 \"$node\" 2>/dev/null; do sleep 1; done; kill \"$node\" 2>/dev/null"
            : "exec setsid \"$0\" \"$@\" >>\"$CUCKOO_HARDHAT_LOG\" 2>&1 </dev/null";
        var psi = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = contractsDirectory,
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var arg in new[]
                 {
                     "-c", script,
                     nodeExecutable, bootstrap, "node", "--hostname", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["CUCKOO_HARDHAT_LOG"] = Path.GetFullPath(logFile);
        psi.Environment["HARDHAT_DISABLE_TELEMETRY_PROMPT"] = "true";
        psi.Environment["CUCKOO_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new DevnetException("Could not start /bin/sh to launch the Hardhat node.");
        }
        catch (Win32Exception ex)
        {
            throw new DevnetException($"Could not launch the Hardhat node: {ex.Message}", ex);
        }
        var node = new HardhatNode(process.Id, port, logFile, owned, startedHere: true);
        process.Dispose();
        try
        {
            await node.WaitUntilReadyAsync(readyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await node.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            throw;
        }
        return node;
    }

    /// <summary>A node started earlier (by pid), if it is still a live Hardhat process.</summary>
    public static HardhatNode? Attach(int pid, int port, string logFile) =>
        IsHardhatProcess(pid) ? new HardhatNode(pid, port, logFile, owned: false, startedHere: false) : null;

    public bool IsRunning => _startedHere ? IsAlive(Pid) : IsHardhatProcess(Pid);

    /// <summary>Polls <c>eth_chainId</c> until it answers, the process dies, or the deadline passes.</summary>
    public async Task<long> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var client = new ChainClient(RpcUrl, new ChainClientOptions { MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(2) });
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (!IsRunning)
            {
                var tail = LogTail();
                if (tail.Contains("EADDRINUSE", StringComparison.Ordinal))
                {
                    throw new DevnetException($"Port {Port} on 127.0.0.1 is already in use; pick another with --port.");
                }
                throw new DevnetException($"The Hardhat node exited before it was ready. Its log ({LogFile}) ends with:\n{tail}");
            }
            try
            {
                return (long)await client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RpcUnavailableException or RpcException or HttpRequestException or TaskCanceledException
                                       && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }
            if (deadline.Elapsed > timeout)
            {
                throw new DevnetException(
                    $"The Hardhat node on {RpcUrl} did not answer eth_chainId within {timeout.TotalSeconds:0} s. Its log ends with:\n{LogTail()}");
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the node and waits for it to go; true when it was running.</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(Pid);
        }
        catch (ArgumentException)
        {
            return false;
        }
        using (process)
        {
            if (!IsRunning)
            {
                return false;
            }
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                return false;
            }
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new DevnetException($"The Hardhat node (pid {Pid}) did not exit within {timeout.TotalSeconds:0} s of being killed.");
            }
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned)
        {
            await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    /// <summary>The last lines of the node's log, for error messages.</summary>
    public string LogTail(int lines = 15)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    public static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// A free port on 127.0.0.1, chosen below Linux's ephemeral range (32768+) so that the outgoing connections
    /// of other processes cannot take it between this check and the node's bind. A port is handed out once per
    /// process: a test picks several (cluster, admin, gateway) before the node it starts binds any of them. It is also
    /// reserved across processes (<see cref="ReservedElsewhere"/>), since test assemblies run at once and each would
    /// otherwise see the other's picked but not yet bound port as free.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            if (PortIsFree(port) && HandedOut.TryAdd(port, 0))
            {
                if (ReservedElsewhere(port))
                {
                    continue;
                }
                return port;
            }
        }
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var any = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return any;
    }

    /// <summary>
    /// Reserves <paramref name="port"/> for this process with a file named after it in the temp folder, created
    /// exclusively and holding this process's id; false when it is ours now. A reservation whose process has ended is
    /// taken over, so the files left behind by earlier runs cost nothing but a read.
    /// </summary>
    internal static bool ReservedElsewhere(int port)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cuckoo-ports");
        var file = Path.Combine(folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(folder);
            for (var attempt = 0; attempt < 2; attempt++)
            {
                try
                {
                    using var created = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
                    created.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    return false;
                }
                catch (IOException) when (File.Exists(file))
                {
                    if (!int.TryParse(File.ReadAllText(file), out var owner) || owner == Environment.ProcessId || IsAlive(owner))
                    {
                        return owner != Environment.ProcessId;
                    }
                    File.Delete(file);
                }
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without a writable temp folder the in-process check is all there is.
            return false;
        }
    }

    // A recycled pid must never be killed: a pid from a file counts only if its command line names hardhat.
    private static bool IsHardhatProcess(int pid)
    {
        try
        {
            return IsAlive(pid) && File.ReadAllText($"/proc/{pid}/cmdline").Contains("hardhat", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
