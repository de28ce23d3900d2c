using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Cuckoo.Staking.Devnet;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>
/// One `cuckoo` node as a child process (Orleans' TestCluster style): its output captured line by line, waited on with
/// deadlines, and stopped the way a test needs: SIGTERM (graceful), SIGKILL (a crash), SIGSTOP/SIGCONT (a frozen node).
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Output => string.Join('\n', _lines);

    /// <summary>Where every node's whole output is also written, one file per process (env CUCKOO_E2E_LOGS; none by default).</summary>
    private static string? LogDirectory { get; } =
        Environment.GetEnvironmentVariable("CUCKOO_E2E_LOGS") is { Length: > 0 } dir ? Directory.CreateDirectory(dir).FullName : null;

    /// <summary>The built `cuckoo` executable of this configuration (the test project's build puts it there first).</summary>
    public static string Executable { get; } = FindExecutable();

    public static NodeProcess Start(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = DevnetSettings.FindRoot(AppContext.BaseDirectory),
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        // Keep the nodes' own files and logs out of the repository's data/.
        psi.Environment["CUCKOO_LOG_LEVEL"] = "INFO";
        psi.Environment["DOTNET_gcServer"] = "0";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var node = new NodeProcess(name, process);
        process.OutputDataReceived += (_, e) => node.Add(e.Data);
        process.ErrorDataReceived += (_, e) => node.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>The first line (already seen or arriving) that matches, or a failure naming the node and its output.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var seen = 0;
        while (true)
        {
            var lines = _lines.ToArray();
            for (; seen < lines.Length; seen++)
            {
                if (match(lines[seen]))
                {
                    return lines[seen];
                }
            }
            if (_process.HasExited && _lines.Count == lines.Length)
            {
                throw new Xunit.Sdk.XunitException($"{Name} exited ({_process.ExitCode}) before {what}:\n{Tail()}");
            }
            try
            {
                // Woken by the next line; the short bound only notices an exit that prints nothing.
                await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(500), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"{Name}: no {what} within {timeout}:\n{Tail()}");
            }
        }
    }

    public Task<string> WaitForLineAsync(string contains, TimeSpan timeout) =>
        WaitForLineAsync(l => l.Contains(contains, StringComparison.Ordinal), timeout, $"line containing '{contains}'");

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{Name} did not exit within {timeout}:\n{Tail()}");
        }
        return _process.ExitCode;
    }

    public void Kill() => Signal(9);

    public void Terminate() => Signal(15);

    public void Freeze() => Signal(19);

    public void Thaw() => Signal(18);

    public string Tail(int count = 60) => string.Join('\n', _lines.TakeLast(count));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Thaw();
            Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited && SysKill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (LogDirectory is { } dir)
        {
            lock (_lines)
            {
                File.AppendAllText(Path.Combine(dir, $"{Name}-{Pid}.log"), line + "\n");
            }
        }
        _lines.Enqueue(line);
        _lineArrived.Release();
    }

    private static string FindExecutable()
    {
        // tests/Cuckoo.EndToEnd.Tests/bin/<Configuration>/net10.0/ → src/Cuckoo.Cli/bin/<Configuration>/net10.0/cuckoo
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = DevnetSettings.FindRoot(AppContext.BaseDirectory);
        var path = Path.Combine(root, "src", "Cuckoo.Cli", "bin", configuration, framework, "cuckoo");
        return File.Exists(path) ? path : throw new FileNotFoundException($"the cuckoo executable is not built at {path}", path);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
