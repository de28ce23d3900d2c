using BenchmarkDotNet.Running;
using Cuckoo.Inference.Benchmarks;
using Cuckoo.Inference.Models;

// `-- --latency [tasks] [threads] [cpu|cuda]` prints per-task percentiles; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--latency")
{
    var tasks = args.Length > 1 ? int.Parse(args[1]) : 200;
    var threads = args.Length > 2 ? int.Parse(args[2]) : 1;
    var provider = args.Length > 3 && args[3] == "cuda" ? ExecutionProviderKind.Cuda : ExecutionProviderKind.Cpu;
    await LatencyReport.RunAsync(tasks, threads, provider);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Workload).Assembly).Run(args);
