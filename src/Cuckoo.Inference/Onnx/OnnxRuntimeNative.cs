using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Cuckoo.Inference.Onnx;

/// <summary>
/// Points the ONNX Runtime C# API at its native library. The API is compiled for netstandard2.1, where it registers
/// no resolver of its own, so this one is installed before first use. Search order: the configured path, the
/// <c>CUCKOO_ONNXRUNTIME_PATH</c> environment variable (a file or a folder), the GPU package when installed
/// (<c>./build.sh setup --gpu</c>), the copy next to the executable, then the CPU package under src/Cuckoo.Onnx.
/// The choice is process-wide and the first call decides it.
/// </summary>
public static class OnnxRuntimeNative
{
    public const string EnvironmentVariable = "CUCKOO_ONNXRUNTIME_PATH";
    private const string LibraryFile = "libonnxruntime.so";
    private static readonly Lock Gate = new();
    private static string? _resolvedPath;
    private static bool _installed;

    /// <summary>The library file the resolver loads, or null before <see cref="Initialize"/>.</summary>
    public static string? LibraryPath
    {
        get
        {
            lock (Gate)
            {
                return _resolvedPath;
            }
        }
    }

    /// <summary>Installs the resolver (once per process) and returns the library path it uses.</summary>
    /// <exception cref="FileNotFoundException">No native library was found; the message lists where it looked.</exception>
    public static string Initialize(string? configuredPath = null)
    {
        lock (Gate)
        {
            if (_installed)
            {
                return _resolvedPath!;
            }

            _resolvedPath = Locate(configuredPath);
            NativeLibrary.SetDllImportResolver(typeof(InferenceSession).Assembly, Resolve);
            _installed = true;
            return _resolvedPath;
        }
    }

    /// <summary>The first existing candidate library file.</summary>
    /// <exception cref="FileNotFoundException">None exists; the message lists where it looked.</exception>
    internal static string Locate(string? configuredPath)
    {
        var candidates = Candidates(configuredPath).ToList();
        var found = candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"ONNX Runtime native library not found; run ./build.sh setup or set {EnvironmentVariable}. Looked in: "
            + string.Join(", ", candidates));
        return Path.GetFullPath(found);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName is LibraryFile or "onnxruntime" && _resolvedPath is not null)
        {
            return NativeLibrary.Load(_resolvedPath);
        }

        return IntPtr.Zero;
    }

    private static IEnumerable<string> Candidates(string? configuredPath)
    {
        foreach (var explicitPath in new[] { configuredPath, Environment.GetEnvironmentVariable(EnvironmentVariable) })
        {
            if (!string.IsNullOrWhiteSpace(explicitPath))
            {
                yield return Directory.Exists(explicitPath) ? Path.Combine(explicitPath, LibraryFile) : explicitPath;
                yield break;
            }
        }

        var repo = FindRepoRoot(AppContext.BaseDirectory);
        if (repo is not null)
        {
            var gpuPackage = Path.Combine(repo, "src", "Cuckoo.Onnx", "gpu", "node_modules", "com.github.asus4.onnxruntime.linux-x64-gpu");
            if (Directory.Exists(gpuPackage))
            {
                foreach (var file in Directory.EnumerateFiles(gpuPackage, LibraryFile, SearchOption.AllDirectories))
                {
                    yield return file;
                }
            }
        }

        yield return Path.Combine(AppContext.BaseDirectory, LibraryFile);
        if (repo is not null)
        {
            yield return Path.Combine(repo, "src", "Cuckoo.Onnx", "node_modules", "com.github.asus4.onnxruntime", "Plugins", "Linux", "x64", LibraryFile);
        }
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> holding Cuckoo.Actors.sln.</summary>
    internal static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cuckoo.Actors.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
