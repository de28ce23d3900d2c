using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Benchmarks;

/// <summary>
/// Images per second of a GpuWorker against a bare InferenceSession loop (the baseline) on the same model, input and
/// thread count, in the same run; the Ratio column is worker time ÷ bare time (1/ratio is the throughput ratio).
/// Each invocation sends 32 tasks at once (the benchmark's worker queues up to 64), so filling and draining the
/// pipeline is spread over many tasks.
/// </summary>
[Config(typeof(ImagesPerSecondConfig))]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class WorkerThroughputBenchmarks
{
    private const int Batch = 32;
    private Workload _workload = null!;

    [Params("cuckoo-cppn", "ppocr-v4-det")]
    public string Model { get; set; } = "";

    [Params(1)]
    public int Threads { get; set; }

    /// <summary>cpu everywhere; cuda too when CUCKOO_BENCH_CUDA=1 (a GPU machine with CUDA 13 and cuDNN 9, see docs/inference.md).</summary>
    [ParamsSource(nameof(Providers))]
    public string Provider { get; set; } = "cpu";

    public static IEnumerable<string> Providers() =>
        Environment.GetEnvironmentVariable("CUCKOO_BENCH_CUDA") == "1" ? ["cpu", "cuda"] : ["cpu"];

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(Model, Threads, Provider == "cuda" ? ExecutionProviderKind.Cuda : ExecutionProviderKind.Cpu);
        if (Provider == "cuda" && !_workload.Provider.IsGpu)
        {
            // A CPU fallback would be reported as a CUDA row.
            throw new InvalidOperationException($"CUCKOO_BENCH_CUDA=1 but no CUDA session: {_workload.Provider.FallbackReason}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "bare session.Run")]
    public void BareSession()
    {
        for (var i = 0; i < Batch; i++)
        {
            _workload.RunBare();
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "runner (pre+run+post)")]
    public void Runner()
    {
        for (var i = 0; i < Batch; i++)
        {
            _workload.RunDirect();
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "GpuWorker (32 queued)")]
    public Task Worker() => _workload.RunWorkerAsync(Batch);

    private sealed class ImagesPerSecondConfig : ManualConfig
    {
        public ImagesPerSecondConfig()
        {
            AddColumn(new ImagesPerSecondColumn(), StatisticColumn.P50, StatisticColumn.P95);
        }
    }

    private sealed class ImagesPerSecondColumn : IColumn
    {
        public string Id => "images/s";

        public string ColumnName => "images/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Tasks completed per second (1 / mean time per task)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            return report?.ResultStatistics is { } stats ? (1e9 / stats.Mean).ToString("F1") : "-";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
