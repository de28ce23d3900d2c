namespace Cuckoo.Inference.Tests.Support;

/// <summary>A cross-check against python3 (an independent zlib and PNG reader); skipped where python3 is not installed.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (Python is null)
        {
            Skip = "python3 is not installed";
        }
    }

    public static string? Python { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Where(dir => dir.Length > 0)
        .Select(dir => Path.Combine(dir, "python3"))
        .FirstOrDefault(File.Exists);
}
