using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Cuckoo.Chain.Benchmarks;

/// <summary>A short job (the machines are shared) with operations per second and the ratio to the baseline.</summary>
public sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1));
        AddColumn(StatisticColumn.OperationsPerSecond);
        AddColumn(BaselineRatioColumn.RatioMean);
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
