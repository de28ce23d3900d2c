using System.Globalization;
using Cuckoo.Chain;

namespace Cuckoo.Staking.Devnet;

/// <summary>What <c>devnet up</c> did.</summary>
public sealed record DevnetUpResult(DevnetDeployment Deployment, bool AlreadyRunning, string CompileOutput);

/// <summary>What <c>devnet down</c> did.</summary>
public sealed record DevnetDownResult(bool WasRunning, int? Pid, IReadOnlyList<string> RemovedFiles);

/// <summary>
/// <c>cuckoo devnet up | down</c>: a detached Hardhat node with the contracts deployed, described by
/// <c>data/devnet.json</c>, its pid file and log in <c>data/devnet/</c>.
/// </summary>
public sealed class DevnetManager(DevnetSettings settings, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public DevnetSettings Settings { get; } = settings;

    /// <summary>Compiles if needed, starts the node, deploys and funds, and writes the deployment file. Idempotent.</summary>
    /// <exception cref="DevnetException">with a message that says what to do.</exception>
    public async Task<DevnetUpResult> UpAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var running = RunningNode();
        if (running is not null)
        {
            var existing = File.Exists(Settings.DeploymentFile) ? DevnetDeployment.Read(Settings.DeploymentFile) : null;
            if (existing is null || existing.Port != Settings.Port)
            {
                throw new DevnetException(
                    $"A devnet node is already running (pid {running.Pid}{(existing is null ? "" : $", port {existing.Port}")}); run `cuckoo devnet down` first.");
            }
            using var probe = new ChainClient(Settings.RpcUrl, new ChainClientOptions { MaxRetries = 1 });
            if (await HasCodeAsync(probe, existing.CuckooStaking, cancellationToken).ConfigureAwait(false))
            {
                return new DevnetUpResult(existing, AlreadyRunning: true, CompileOutput: "");
            }
            throw new DevnetException($"The devnet node (pid {running.Pid}) has no contracts at the addresses in {Settings.DeploymentFile}; run `cuckoo devnet down` and up again.");
        }

        RemoveStaleFiles();
        progress?.Report("compiling contracts");
        var compileOutput = await ContractBuild.EnsureCompiledAsync(Settings.ContractsDirectory, Settings.CompileTimeout, Settings.NodeExecutable, cancellationToken).ConfigureAwait(false);

        progress?.Report($"starting the Hardhat node on 127.0.0.1:{Settings.Port}");
        Directory.CreateDirectory(Settings.NodeDirectory);
        var node = await HardhatNode.StartAsync(
            Settings.ContractsDirectory, Settings.Port, Settings.LogFile, owned: false, Settings.ReadyTimeout, Settings.NodeExecutable, cancellationToken).ConfigureAwait(false);
        try
        {
            File.WriteAllText(Settings.PidFile, node.Pid.ToString(CultureInfo.InvariantCulture));
            using var client = new ChainClient(node.RpcUrl);
            var deployed = await DevnetDeployer.DeployAsync(client, Settings, progress, cancellationToken).ConfigureAwait(false);
            var deployment = await DevnetDeployer.DescribeAsync(deployed, Settings, node.Pid, _time).ConfigureAwait(false);
            deployment.Write(Settings.DeploymentFile);
            return new DevnetUpResult(deployment, AlreadyRunning: false, compileOutput);
        }
        catch
        {
            await node.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            RemoveStaleFiles();
            throw;
        }
    }

    /// <summary>Stops the node and removes the pid file and the deployment file; fine when nothing runs.</summary>
    public async Task<DevnetDownResult> DownAsync()
    {
        var node = RunningNode();
        var wasRunning = node is not null && await node.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        var removed = new List<string>();
        foreach (var path in new[] { Settings.PidFile, Settings.DeploymentFile })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
                removed.Add(path);
            }
        }
        return new DevnetDownResult(wasRunning, node?.Pid, removed);
    }

    /// <summary>The node named by the pid file, if it is alive.</summary>
    public HardhatNode? RunningNode()
    {
        if (!File.Exists(Settings.PidFile))
        {
            return null;
        }
        if (!int.TryParse(File.ReadAllText(Settings.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }
        return HardhatNode.Attach(pid, Settings.Port, Settings.LogFile);
    }

    private void RemoveStaleFiles()
    {
        foreach (var path in new[] { Settings.PidFile, Settings.DeploymentFile })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private static async Task<bool> HasCodeAsync(ChainClient client, string address, CancellationToken cancellationToken)
    {
        try
        {
            var code = await client.GetCodeAsync(Address.Parse(address), cancellationToken: cancellationToken).ConfigureAwait(false);
            return code.Length > 0;
        }
        catch (Exception ex) when (ex is RpcException or RpcUnavailableException or FormatException)
        {
            return false;
        }
    }
}
