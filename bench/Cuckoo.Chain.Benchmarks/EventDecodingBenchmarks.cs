using System.Numerics;
using BenchmarkDotNet.Attributes;
using Cuckoo.Staking;
using Cuckoo.Staking.Contracts.CuckooStaking;
using Nethereum.Contracts;

namespace Cuckoo.Chain.Benchmarks;

/// <summary>
/// Decoding a block's worth of CuckooStaking logs (WeightChanged: one indexed address, three words of data) as the
/// chain watcher does, into <see cref="ContractEvent"/> records; Nethereum's typed decode alone; and the floor of
/// copying the same topics and data words out of each log without interpreting them.
/// </summary>
[Config(typeof(ShortConfig))]
public class EventDecodingBenchmarks
{
    public const int Logs = 1000;
    private Log[] _logs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        byte[] Bytes(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }
        byte[] Word(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true) is var b ? [.. new byte[32 - b.Length], .. b] : [];
        var topic0 = Hex.Decode(ABITypedRegistry.GetEvent<WeightChangedEvent>().Sha3Signature);
        _logs = Enumerable.Range(0, Logs).Select(i => new Log
        {
            Address = Address.FromBytes(Bytes(20)),
            Topics = [topic0, [.. new byte[12], .. Bytes(20)]],
            Data = [.. Word(new BigInteger(Bytes(16), isUnsigned: true)), .. Word(new BigInteger(Bytes(12), isUnsigned: true)), .. Word(i % 2)],
            BlockNumber = 100 + (i / 50),
            BlockHash = "0x" + new string('a', 64),
            TransactionHash = "0x" + new string('b', 64),
            LogIndex = i,
        }).ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Logs, Description = "raw topic/word copy")]
    public int RawCopy()
    {
        var total = 0;
        foreach (var log in _logs)
        {
            var topics = new byte[log.Topics.Count][];
            for (var t = 0; t < topics.Length; t++)
            {
                topics[t] = log.Topics[t].ToArray();
            }
            var words = new byte[log.Data.Length / 32][];
            for (var w = 0; w < words.Length; w++)
            {
                words[w] = log.Data.AsSpan(w * 32, 32).ToArray();
            }
            total += topics.Length + words.Length;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Logs, Description = "Nethereum DecodeEvent<WeightChangedEvent>")]
    public int DecodeNethereum()
    {
        var total = 0;
        foreach (var log in _logs)
        {
            total += log.ToNethereum().DecodeEvent<WeightChangedEvent>()!.Event.Active ? 1 : 0;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Logs, Description = "ContractEventDecoder.TryDecodeStaking")]
    public int Decode()
    {
        var total = 0;
        foreach (var log in _logs)
        {
            if (ContractEventDecoder.TryDecodeStaking(log, out var decoded))
            {
                total += decoded is WeightChanged { Active: true } ? 1 : 0;
            }
        }
        return total;
    }
}
