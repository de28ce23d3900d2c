using System.CommandLine;
using Cuckoo.Chain;
using Cuckoo.Cli.Commands;
using Cuckoo.Cli;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.Cli.Tests;

/// <summary>
/// A real Hardhat node on a free 127.0.0.1 port with the contracts deployed (no demo registrations), its deployment
/// file, a keys directory and a password file; shared by the stakers' CLI tests.
/// </summary>
public sealed class StakerCliFixture : IAsyncLifetime
{
    public const string Password = "correct horse battery staple";

    public string Temp { get; } = Directory.CreateTempSubdirectory("cuckoo-cli-tests-").FullName;

    public HardhatNode Node { get; private set; } = null!;

    public DevnetDeployment Deployment { get; private set; } = null!;

    public string DeploymentFile => Path.Combine(Temp, "devnet.json");

    public string KeysDir => Path.Combine(Temp, "keys");

    public string PasswordFile => Path.Combine(Temp, "password.txt");

    public async Task InitializeAsync()
    {
        var root = DevnetSettings.FindRoot(AppContext.BaseDirectory);
        var settings = new DevnetSettings { Root = root, DataDirectory = Temp, Port = HardhatNode.FreePort(), RegisterDemoAccounts = false };
        await ContractBuild.EnsureCompiledAsync(settings.ContractsDirectory, settings.CompileTimeout);
        Node = await HardhatNode.StartAsync(settings.ContractsDirectory, settings.Port, settings.LogFile, owned: true, settings.ReadyTimeout);
        using var client = new ChainClient(Node.RpcUrl);
        var deployed = await DevnetDeployer.DeployAsync(client, settings);
        Deployment = await DevnetDeployer.DescribeAsync(deployed, settings, Node.Pid, TimeProvider.System);
        Deployment.Write(DeploymentFile);
        await File.WriteAllTextAsync(PasswordFile, Password + "\n");
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(Temp, recursive: true);
    }

    /// <summary>Runs `cuckoo ARGS` in-process with captured output.</summary>
    public static Task<CliRunResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs `cuckoo ARGS` in-process with captured output; <paramref name="cancellationToken"/> is the command's Ctrl+C.</summary>
    public static async Task<CliRunResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return new CliRunResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Imports a development account's key into the keys directory (once) and returns its file.</summary>
    public async Task<string> KeyFileAsync(string role)
    {
        var account = DevAccounts.ByRole(role);
        var file = Path.Combine(KeysDir, $"{account.Address}.json");
        if (!File.Exists(file))
        {
            var hex = Path.Combine(Temp, $"{role}.hex");
            await File.WriteAllTextAsync(hex, account.PrivateKey);
            var imported = await RunAsync("keys", "import", hex, "--keys-dir", KeysDir, "--password-file", PasswordFile, "--kdf", "light");
            Assert.True(imported.Code == 0, imported.ToString());
        }
        return file;
    }

    /// <summary>The options that point a command at this chain and sign with <paramref name="role"/>'s key.</summary>
    public async Task<string[]> SignerAsync(string role) =>
        ["--key", await KeyFileAsync(role), "--password-file", PasswordFile, "--deployment", DeploymentFile];
}

public sealed record CliRunResult(int Code, string Out, string Err)
{
    public override string ToString() => $"exit {Code}\nstdout: {Out}\nstderr: {Err}";
}

[CollectionDefinition("staker-cli")]
public sealed class StakerCliCollection : ICollectionFixture<StakerCliFixture>;
