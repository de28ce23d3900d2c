using System.Diagnostics;
using Cuckoo.Inference.Models;

namespace Cuckoo.Inference.Benchmarks;

/// <summary>
/// Per-task latency percentiles and throughput, bare session against worker, in one process (`-- --latency`).
/// BenchmarkDotNet's percentiles are over iterations; these are over single tasks (sequential, one in flight);
/// images/s is the median over rounds of a pipelined run (Window tasks in flight for the worker).
/// </summary>
public static class LatencyReport
{
    private const int Rounds = 5;

    /// <summary>Tasks in flight for the worker's throughput (CUCKOO_BENCH_WINDOW, default 4).</summary>
    private static readonly int Window = int.TryParse(Environment.GetEnvironmentVariable("CUCKOO_BENCH_WINDOW"), out var w) ? w : 4;

    public static async Task RunAsync(int tasks, int threads, ExecutionProviderKind provider)
    {
        Console.WriteLine($"| model | provider | threads | path | images/s | p50 ms | p99 ms | ÷ bare session.Run | ÷ runner loop |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var model in new[] { "cuckoo-cppn", "ppocr-v4-det" })
        {
            await using var workload = new Workload(model, threads, provider);
            for (var i = 0; i < 5; i++)
            {
                workload.RunBare();
                await workload.RunWorkerAsync(1);
            }

            // Rounds alternate between the two paths so that load from elsewhere on the machine hits both alike.
            List<double> bare = [], runner = [], worker = [], bareRates = [], runnerRates = [], workerRates = [];
            var perRound = tasks / Rounds;
            for (var round = 0; round < Rounds; round++)
            {
                bare.AddRange(Measure(perRound, () => { workload.RunBare(); return Task.CompletedTask; }));
                runner.AddRange(Measure(perRound, () => { workload.RunDirect(); return Task.CompletedTask; }));
                worker.AddRange(Measure(perRound, () => workload.RunWorkerAsync(1)));
                bareRates.Add(await Throughput(perRound, () => { for (var i = 0; i < perRound; i++) { workload.RunBare(); } return Task.CompletedTask; }));
                runnerRates.Add(await Throughput(perRound, () => { for (var i = 0; i < perRound; i++) { workload.RunDirect(); } return Task.CompletedTask; }));
                workerRates.Add(await Throughput(perRound, () => workload.RunWorkerPipelinedAsync(perRound, Window)));
            }

            var bareRate = Percentile(bareRates, 50);
            var runnerRate = Percentile(runnerRates, 50);
            var workerRate = Percentile(workerRates, 50);
            var name = workload.Provider.Provider.Replace("ExecutionProvider", "");
            Console.WriteLine($"| {model} | {name} | {threads} | bare session.Run | {bareRate:F1} | {Percentile(bare, 50):F2} | {Percentile(bare, 99):F2} | 1.00 | |");
            Console.WriteLine($"| {model} | {name} | {threads} | runner loop (pre+run+post, no actor) | {runnerRate:F1} | {Percentile(runner, 50):F2} | {Percentile(runner, 99):F2} | {runnerRate / bareRate:F3} | 1.00 |");
            Console.WriteLine($"| {model} | {name} | {threads} | GpuWorker | {workerRate:F1} | {Percentile(worker, 50):F2} | {Percentile(worker, 99):F2} | {workerRate / bareRate:F3} | {workerRate / runnerRate:F3} |");
        }
    }

    private static List<double> Measure(int tasks, Func<Task> run)
    {
        var samples = new List<double>(tasks);
        for (var i = 0; i < tasks; i++)
        {
            var started = Stopwatch.GetTimestamp();
            run().GetAwaiter().GetResult();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return samples;
    }

    private static async Task<double> Throughput(int tasks, Func<Task> runAll)
    {
        var started = Stopwatch.GetTimestamp();
        await runAll();
        return tasks / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static double Percentile(List<double> samples, int percentile)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
