using BenchmarkDotNet.Running;
using Cuckoo.Chain.Benchmarks;

// `--per-core` measures CPU time instead of wall time (see PerCoreThroughput); anything else goes to BenchmarkDotNet.
if (args.Contains("--per-core"))
{
    PerCoreThroughput.Run(Console.Out);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
