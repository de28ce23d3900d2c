using System.Collections;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql;

namespace Cuckoo.Persistence;

/// <summary>Which role file is laid over hocon/shared.conf.</summary>
public enum NodeRole
{
    /// <summary>shared.conf alone (tools, tests).</summary>
    None,
    Coordinator,
    Miner,
}

/// <summary>What <see cref="CuckooHocon"/> composes.</summary>
public sealed record HoconOptions
{
    public NodeRole Role { get; init; } = NodeRole.None;

    /// <summary>Lay test.conf over the role file (default false; tests only).</summary>
    public bool Test { get; init; }

    /// <summary>Folder of the .conf files (default: <c>CUCKOO_HOCON_DIR</c>, else hocon/ beside the executable, else ./hocon).</summary>
    public string? Directory { get; init; }

    /// <summary>Environment to read overrides from (default null: the process environment).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>HOCON laid over the files and under the environment (default null), e.g. a test's own settings.</summary>
    public string? Extra { get; init; }
}

/// <summary>
/// Composes the node configuration: hocon/shared.conf, then coordinator.conf or miner.conf, then test.conf, then
/// <see cref="HoconOptions.Extra"/>, then environment overrides, each layer winning over the ones before. The layers are
/// joined into one document before parsing, so a substitution such as <c>${cuckoo.persistence.connection-string}</c> in
/// shared.conf sees the value of the last layer that sets it. Environment variables (docs/persistence.md):
/// <list type="bullet">
/// <item><c>CUCKOO_DB_PROVIDER</c> = <c>sqlite</c> | <c>postgresql</c>; <c>CUCKOO_DB</c> = the store's connection string;</item>
/// <item><c>CUCKOO_LOG_LEVEL</c> = <c>DEBUG</c> | <c>INFO</c> | <c>WARNING</c> | <c>ERROR</c>;</item>
/// <item><c>CUCKOO__A__B_C=v</c> sets any path: <c>__</c> separates keys, <c>_</c> is <c>-</c>, keys are lower-cased
/// (<c>CUCKOO__AKKA__PERSISTENCE__JOURNAL__SQL__BATCH_SIZE=500</c>);</item>
/// <item><c>CUCKOO_HOCON</c> = HOCON text laid over everything else; <c>CUCKOO_HOCON_DIR</c> = the folder of the files.</item>
/// </list>
/// </summary>
public static class CuckooHocon
{
    public const string ProviderVariable = "CUCKOO_DB_PROVIDER";
    public const string ConnectionStringVariable = "CUCKOO_DB";
    public const string LogLevelVariable = "CUCKOO_LOG_LEVEL";
    public const string PathPrefix = "CUCKOO__";
    public const string HoconVariable = "CUCKOO_HOCON";
    public const string DirectoryVariable = "CUCKOO_HOCON_DIR";

    /// <summary>The composed HOCON text, before parsing.</summary>
    /// <exception cref="HoconLoadException">A file is missing or an override is malformed.</exception>
    public static string Compose(HoconOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var environment = options.Environment ?? ProcessEnvironment();
        var directory = options.Directory ?? FindDirectory(environment);
        var text = new StringBuilder();
        Append(text, directory, "shared.conf");
        switch (options.Role)
        {
            case NodeRole.Coordinator:
                Append(text, directory, "coordinator.conf");
                break;
            case NodeRole.Miner:
                Append(text, directory, "miner.conf");
                break;
        }

        if (options.Test)
        {
            Append(text, directory, "test.conf");
        }

        if (options.Extra is { } extra)
        {
            text.Append("\n# extra\n").Append(extra).Append('\n');
        }

        text.Append("\n# environment\n").Append(EnvironmentOverrides(environment));
        return text.ToString();
    }

    /// <summary>The composed configuration with Akka.Persistence.Sql's defaults underneath, for <c>ActorSystem.Create</c>.</summary>
    /// <exception cref="HoconLoadException">A file is missing, an override is malformed, or the HOCON does not parse.</exception>
    public static Config Load(HoconOptions options)
    {
        var text = Compose(options);
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HoconLoadException($"The node configuration does not parse: {e.Message}", e);
        }

        return config.WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>Adds the composed configuration to an Akka.Hosting builder, ahead of what Hosting adds itself.</summary>
    public static AkkaConfigurationBuilder AddCuckooHocon(this AkkaConfigurationBuilder builder, HoconOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(Load(options), HoconAddMode.Prepend);
    }

    /// <summary>Prepares the journal's store named in <paramref name="config"/> (SQLite: folder and WAL; see <see cref="SqliteStore"/>).</summary>
    public static void PrepareStorage(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var provider = config.GetString("akka.persistence.journal.sql.provider-name", "");
        if (provider.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase))
        {
            SqliteStore.Prepare(config.GetString("akka.persistence.journal.sql.connection-string"));
        }
    }

    internal static string EnvironmentOverrides(IReadOnlyDictionary<string, string?> environment)
    {
        var lines = new StringBuilder();
        void Set(string path, string value) => lines.Append(path).Append(" = ").Append(PersistenceSettings.Quote(value)).Append('\n');

        if (Value(environment, ProviderVariable) is { } provider)
        {
            Set("cuckoo.persistence.provider-name", provider.ToLowerInvariant() switch
            {
                "sqlite" => "SQLite.MS",
                "postgresql" or "postgres" => "PostgreSQL.15",
                _ => throw new HoconLoadException($"{ProviderVariable} must be 'sqlite' or 'postgresql', not '{provider}'."),
            });
        }

        if (Value(environment, ConnectionStringVariable) is { } connectionString)
        {
            Set("cuckoo.persistence.connection-string", connectionString);
        }

        if (Value(environment, LogLevelVariable) is { } level)
        {
            var upper = level.ToUpperInvariant();
            if (upper is not ("DEBUG" or "INFO" or "WARNING" or "ERROR" or "OFF"))
            {
                throw new HoconLoadException($"{LogLevelVariable} must be DEBUG, INFO, WARNING, ERROR or OFF, not '{level}'.");
            }

            Set("akka.loglevel", upper);
            Set("akka.stdout-loglevel", upper);
        }

        // Sorted, so that the result does not depend on the order the environment lists variables in.
        foreach (var (name, value) in environment.Where(kv => kv.Key.StartsWith(PathPrefix, StringComparison.Ordinal))
                     .OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var segments = name[PathPrefix.Length..].Split("__");
            if (segments.Any(s => s.Length == 0 || !s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
            {
                throw new HoconLoadException(
                    $"{name} is not a configuration path: use {PathPrefix}SECTION__KEY, with letters, digits and single underscores.");
            }

            Set(string.Join('.', segments.Select(s => s.ToLowerInvariant().Replace('_', '-'))), value ?? "");
        }

        if (Value(environment, HoconVariable) is { } hocon)
        {
            lines.Append(hocon).Append('\n');
        }

        return lines.ToString();
    }

    private static string? Value(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string FindDirectory(IReadOnlyDictionary<string, string?> environment)
    {
        if (Value(environment, DirectoryVariable) is { } configured)
        {
            return configured;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "hocon");
        return System.IO.Directory.Exists(beside) ? beside : Path.GetFullPath("hocon");
    }

    private static void Append(StringBuilder text, string directory, string file)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            throw new HoconLoadException($"{path} was not found: set {DirectoryVariable} to the folder holding the node's .conf files.");
        }

        text.Append("\n# ").Append(file).Append('\n').Append(File.ReadAllText(path)).Append('\n');
    }

    private static Dictionary<string, string?> ProcessEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal);
}

/// <summary>The node configuration could not be composed; the message is one sentence for the operator.</summary>
public sealed class HoconLoadException(string message, Exception? inner = null) : Exception(message, inner);
