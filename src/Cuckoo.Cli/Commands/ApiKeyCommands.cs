using System.CommandLine;
using System.Text.Json;
using Cuckoo.Gateway;

namespace Cuckoo.Cli.Commands;

/// <summary>
/// `cuckoo apikey new | list`: the apps' keys in the file the coordinator's gateway reads (and reads again when it
/// changes), each stored as its SHA-256 only, so the key itself is shown once, by `new`.
/// </summary>
internal static class ApiKeyCommands
{
    private static readonly JsonSerializerOptions FileJson = new(GatewayProblems.Json) { WriteIndented = true };

    public static Command ApiKey()
    {
        var command = new Command("apikey", "Make and list the API keys apps use at the coordinator's HTTP gateway.");
        command.Subcommands.Add(New());
        command.Subcommands.Add(List());
        return command;
    }

    /// <summary>The coordinator's default data directory's key file, so that a key made here is one it accepts.</summary>
    public static string DefaultFile() => Path.Combine(KeyRing.DataDirectory(), "coordinator", "api-keys.json");

    private static Option<string?> FileOption() => new("--file")
    {
        Description = "The API key file (default: data/coordinator/api-keys.json, the one the coordinator reads).",
    };

    private static Command New()
    {
        var json = new Option<bool>("--json") { Description = "Print the result (or the error) as JSON." };
        var app = new Option<string>("--app") { Description = "The app the key is for; its tasks are kept apart from other apps'. Non-empty, without '/'.", Required = true };
        var file = FileOption();
        var command = new Command("new", "Mint an API key for an app and add it to the key file; the key is printed once, and only its SHA-256 is stored.")
        {
            app, file, json,
        };
        CliRun.SetAction(command, json, (ctx, ct) =>
        {
            var given = ctx.Parse.GetValue(app) ?? "";
            var name = given.Trim();
            var (key, entry) = ApiKeyStore.Mint(name);
            try
            {
                _ = new ApiKeyStore([entry]);
            }
            catch (FormatException e)
            {
                throw new CliException(ExitCodes.BadInput, "bad-input", $"--app '{given}' cannot name an app: an app id must be non-empty and without '/'", e);
            }
            var path = PathOf(ctx, file);
            var entries = Read(path);
            entries.Add(entry);
            Write(path, entries);
            return Task.FromResult(new NewKeyView(name, key, path, entry.Sha256, entries.Count(e => e.App == name)));
        }, (ctx, v) =>
        {
            // The key alone on stdout, so that KEY=$(cuckoo apikey new --app x) captures it; the note goes to stderr.
            ctx.Out.WriteLine(v.Key);
            ctx.Error.WriteLine($"API key for app '{v.App}' added to {v.File} (the app has {v.KeysOfApp} key(s)); only its SHA-256 is stored, so this is the one time it is shown.");
        });
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print the result (or the error) as JSON." };
        var file = FileOption();
        var command = new Command("list", "List the apps that have API keys (their SHA-256 digests; the keys themselves are not stored).") { file, json };
        CliRun.SetAction(command, json, (ctx, _) =>
        {
            var path = PathOf(ctx, file);
            return Task.FromResult(new KeyListView(path, File.Exists(path), Read(path)));
        }, (ctx, v) =>
        {
            if (v.Keys.Count == 0)
            {
                ctx.Out.WriteLine(v.Exists
                    ? $"no API keys in {v.File} (`cuckoo apikey new --app NAME` makes one)"
                    : $"no API keys yet: {v.File} does not exist (`cuckoo apikey new --app NAME` makes it)");
                return;
            }
            var width = Math.Max(3, v.Keys.Max(k => k.App.Length));
            ctx.Out.WriteLine($"{"APP".PadRight(width)}  SHA-256 OF THE KEY");
            foreach (var k in v.Keys)
            {
                ctx.Out.WriteLine($"{k.App.PadRight(width)}  {k.Sha256[..16]}…");
            }
            ctx.Out.WriteLine($"{v.Keys.Count} key(s) of {v.Keys.Select(k => k.App).Distinct().Count()} app(s) in {v.File}");
        });
        return command;
    }

    private static string PathOf(CliContext ctx, Option<string?> file)
    {
        var path = ctx.Parse.GetValue(file) is { } given && !string.IsNullOrWhiteSpace(given) ? Path.GetFullPath(given) : DefaultFile();
        return Directory.Exists(path)
            ? throw new CliException(ExitCodes.BadInput, "file", $"--file {path} is a folder; name the key file, e.g. {Path.Combine(path, "api-keys.json")}")
            : path;
    }

    /// <summary>The file's entries, checked as the gateway checks them; none when it does not exist yet.</summary>
    private static List<ApiKeyEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        try
        {
            var entries = JsonSerializer.Deserialize<List<ApiKeyEntry>>(File.ReadAllText(path), GatewayProblems.Json)
                          ?? throw new FormatException("it holds JSON null");
            _ = new ApiKeyStore(entries);
            return entries;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new CliException(ExitCodes.BadInput, "bad-key-file",
                $"{path} is not an API key file (a JSON array of {{\"app\", \"sha256\"}}): {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>
    /// Temp file and rename, so that the coordinator, which reads the file again when it changes, never sees half of
    /// it. A new file is owner-only; an existing one keeps its permissions.
    /// </summary>
    private static void Write(string path, List<ApiKeyEntry> entries)
    {
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        UnixFileMode? mode = null;
        if (!OperatingSystem.IsWindows())
        {
            mode = File.Exists(path) ? File.GetUnixFileMode(path) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
            options.UnixCreateMode = mode;
        }
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, entries, FileJson);
                stream.Flush(flushToDisk: true);
            }
            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                // The create mode passes through the umask; the file must end with exactly this one.
                File.SetUnixFileMode(temp, m);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private sealed record NewKeyView(string App, string Key, string File, string Sha256, int KeysOfApp);

    private sealed record KeyListView(string File, bool Exists, IReadOnlyList<ApiKeyEntry> Keys);
}
