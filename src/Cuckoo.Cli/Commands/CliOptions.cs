using System.CommandLine;

namespace Cuckoo.Cli.Commands;

/// <summary>The options the stakers' commands share; each command gets its own instances.</summary>
internal sealed class CliOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print the result (or the error) as JSON." };

    public Option<string?> Rpc { get; } = new("--rpc") { Description = "The node's JSON-RPC URL (default: env CUCKOO_RPC_URL, else the deployment file's)." };

    public Option<string?> Deployment { get; } = new("--deployment")
    {
        Description = "The deployment file with chain id and contract addresses (default: env CUCKOO_DEPLOYMENT, else data/devnet.json).",
    };

    public Option<string?> Key { get; } = new("--key", "-k") { Description = "Key file (Web3 Secret Storage v3), or an address whose key file is in the keys directory (default: env CUCKOO_KEY)." };

    public Option<string?> PasswordFile { get; } = new("--password-file")
    {
        Description = "File whose first line is the key password (else env CUCKOO_KEY_PASSWORD, else a prompt at a terminal).",
    };

    public Option<string?> KeysDir { get; } = new("--keys-dir") { Description = "Directory of key files (default: env CUCKOO_KEYS_DIR, else data/keys)." };

    public Option<int> Confirmations { get; } = new("--confirmations")
    {
        Description = "Blocks on top of the transaction before it counts as done.", DefaultValueFactory = _ => 1,
    };

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for each transaction to be mined and confirmed; after that the command says which transaction stands.",
        DefaultValueFactory = _ => 120,
    };

    /// <summary>Adds the options a command that reads the chain needs.</summary>
    public Command WithChain(Command command)
    {
        command.Options.Add(Json);
        command.Options.Add(Rpc);
        command.Options.Add(Deployment);
        return command;
    }

    /// <summary>Adds the options a command that sends transactions needs.</summary>
    public Command WithSigner(Command command)
    {
        WithChain(command);
        command.Options.Add(Key);
        command.Options.Add(PasswordFile);
        command.Options.Add(KeysDir);
        command.Options.Add(Confirmations);
        command.Options.Add(Timeout);
        return command;
    }
}
