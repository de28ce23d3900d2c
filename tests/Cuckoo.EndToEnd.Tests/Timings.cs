using System.Globalization;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>
/// Durations the failure tests observe, appended as <c>name value</c> lines to the file in CUCKOO_E2E_TIMINGS when set:
/// bench/cluster-failover.sh runs the tests several times and reports the medians (the tests assert budgets, not speeds).
/// </summary>
public static class Timings
{
    private static readonly object Gate = new();

    public static void Record(string name, double seconds)
    {
        if (Environment.GetEnvironmentVariable("CUCKOO_E2E_TIMINGS") is not { Length: > 0 } file)
        {
            return;
        }
        lock (Gate)
        {
            File.AppendAllText(file, string.Create(CultureInfo.InvariantCulture, $"{name} {seconds:F2}\n"));
        }
    }
}
