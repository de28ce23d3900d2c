using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Cuckoo.Chain;

namespace Cuckoo.Staking.Devnet;

/// <summary>Compiles the contracts with contracts/compile.mjs (solcjs; a no-op when the sources are unchanged) and reads its output.</summary>
public static class ContractBuild
{
    /// <summary>Runs the compile script; returns its output line (e.g. "contracts up to date").</summary>
    /// <exception cref="DevnetException">node or the npm packages missing, a compile error, or a timeout.</exception>
    public static async Task<string> EnsureCompiledAsync(string contractsDirectory, TimeSpan timeout, string nodeExecutable = "node", CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(contractsDirectory, "compile.mjs")))
        {
            throw new DevnetException($"{contractsDirectory}/compile.mjs is missing.");
        }
        if (!Directory.Exists(Path.Combine(contractsDirectory, "node_modules", "solc")))
        {
            throw new DevnetException($"The contracts' npm packages are not installed in {contractsDirectory}/node_modules: run ./build.sh setup (npm ci in contracts/).");
        }
        var psi = new ProcessStartInfo(nodeExecutable, ["compile.mjs"])
        {
            WorkingDirectory = contractsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (Win32Exception ex)
        {
            throw new DevnetException($"Node.js ('{nodeExecutable}') is needed to compile the contracts and could not be started: {ex.Message}", ex);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new DevnetException($"Compiling the contracts took longer than {timeout.TotalSeconds:0} s.");
            }
            var output = (await stdout.ConfigureAwait(false)).Trim();
            var errors = (await stderr.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                throw new DevnetException($"Compiling the contracts failed (exit {process.ExitCode}):\n{errors}\n{output}".TrimEnd());
            }
            return output;
        }
    }

    /// <summary>The creation bytecode of a compiled contract (contracts/build/&lt;name&gt;.json).</summary>
    /// <exception cref="DevnetException">not compiled, or not an artifact.</exception>
    public static byte[] ReadBytecode(string contractsDirectory, string contractName)
    {
        var path = Path.Combine(contractsDirectory, "build", contractName + ".json");
        if (!File.Exists(path))
        {
            throw new DevnetException($"{path} is missing: the contracts are not compiled (node compile.mjs in contracts/).");
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return Hex.Decode(doc.RootElement.GetProperty("bytecode").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new DevnetException($"{path} is not a compiled contract: {ex.Message}", ex);
        }
    }

    /// <summary>The ABI solc emitted for a contract (the <c>abi</c> array of contracts/build/&lt;name&gt;.json), as JSON.</summary>
    /// <exception cref="DevnetException">not compiled, or not an artifact.</exception>
    public static string ReadAbiJson(string contractsDirectory, string contractName)
    {
        var path = Path.Combine(contractsDirectory, "build", contractName + ".json");
        if (!File.Exists(path))
        {
            throw new DevnetException($"{path} is missing: the contracts are not compiled (node compile.mjs in contracts/).");
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.TryGetProperty("abi", out var abi) && abi.ValueKind == JsonValueKind.Array
            ? abi.GetRawText()
            : throw new DevnetException($"{path} is not a compiled contract: it has no 'abi' array.");
    }
}
