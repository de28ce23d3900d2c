using System.Diagnostics;

namespace Cuckoo.Chain.Benchmarks;

/// <summary>
/// Operations per CPU-second, for "per core" goals on a shared machine: wall-clock rates there mostly measure the other
/// tenants. The contenders run interleaved in short slices on one thread so that load changes hit them alike, and the
/// process's CPU time is charged to each slice.
/// </summary>
public static class PerCoreThroughput
{
    private const int Slice = 50;
    private const int WarmupRounds = 10;
    private const int Rounds = 60;

    public static void Run(TextWriter output)
    {
        var signatures = new SignatureBenchmarks();
        signatures.Setup();
        var events = new EventDecodingBenchmarks();
        events.Setup();
        var contenders = new (string Name, int OpsPerCall, Func<object> Call)[]
        {
            ("BouncyCastle ECDSA verify (known public key)", 1, () => signatures.BouncyCastleVerify()),
            ("EthSignature.RecoverAddress (Nethereum, NBitcoin.Secp256k1)", 1, () => signatures.Recover()),
            ("EthECKey.RecoverFromSignature (Nethereum, BouncyCastle)", 1, () => signatures.RecoverBouncyCastle()),
            ("EthKey.Sign (RFC 6979, NBitcoin.Secp256k1)", 1, () => signatures.Sign()),
            ("raw topic/word copy (per log)", EventDecodingBenchmarks.Logs, () => events.RawCopy()),
            ("Nethereum DecodeEvent<WeightChangedEvent> (per log)", EventDecodingBenchmarks.Logs, () => events.DecodeNethereum()),
            ("ContractEventDecoder.TryDecodeStaking (per log)", EventDecodingBenchmarks.Logs, () => events.Decode()),
        };
        var cpu = new double[contenders.Length];
        var ops = new long[contenders.Length];
        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < WarmupRounds + Rounds; round++)
        {
            for (var c = 0; c < contenders.Length; c++)
            {
                var (_, opsPerCall, call) = contenders[c];
                var calls = Math.Max(1, Slice / (opsPerCall / 10 + 1));
                process.Refresh();
                var before = process.TotalProcessorTime;
                for (var i = 0; i < calls; i++)
                {
                    GC.KeepAlive(call());
                }
                process.Refresh();
                if (round >= WarmupRounds)
                {
                    cpu[c] += (process.TotalProcessorTime - before).TotalSeconds;
                    ops[c] += (long)calls * opsPerCall;
                }
            }
        }
        output.WriteLine($"Operations per CPU-second, {Rounds} interleaved rounds, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        output.WriteLine("| Operation | per CPU-second | CPU time per op |");
        output.WriteLine("|---|---:|---:|");
        for (var c = 0; c < contenders.Length; c++)
        {
            var perSecond = ops[c] / cpu[c];
            output.WriteLine($"| {contenders[c].Name} | {perSecond:N0} | {1e6 / perSecond:N2} µs |");
        }
        output.WriteLine($"Recovery / BouncyCastle verify speed: {(ops[1] / cpu[1]) / (ops[0] / cpu[0]):N2}×; staking event decoding / raw copy speed: {(ops[6] / cpu[6]) / (ops[4] / cpu[4]):N2}×");
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
