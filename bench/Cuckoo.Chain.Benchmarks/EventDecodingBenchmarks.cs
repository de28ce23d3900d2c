using System.Numerics;
using BenchmarkDotNet.Attributes;

namespace Cuckoo.Chain.Benchmarks;

/// <summary>
/// Decoding a block's worth of staking logs (two indexed addresses, two uint256 in data) into typed values, against
/// the floor of copying the same topics and data words out of each log without interpreting them.
/// </summary>
[Config(typeof(ShortConfig))]
public class EventDecodingBenchmarks
{
    private const int Logs = 1000;
    private readonly ContractAbi _abi = new(
        [],
        [AbiEvent.Parse("event Staked(address indexed staker, address indexed miner, uint256 amount, uint256 total)")],
        []);
    private Log[] _logs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        var e = _abi.Event("Staked");
        byte[] Bytes(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }
        _logs = Enumerable.Range(0, Logs).Select(i => new Log
        {
            Address = Address.FromBytes(Bytes(20)),
            Topics = [e.Topic0, Abi.EncodeTopic(AbiType.Address, Address.FromBytes(Bytes(20))), Abi.EncodeTopic(AbiType.Address, Address.FromBytes(Bytes(20)))],
            Data = Abi.Encode(["uint256", "uint256"], new BigInteger(Bytes(16), isUnsigned: true), new BigInteger(Bytes(24), isUnsigned: true)),
            BlockNumber = 100 + (i / 50),
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

    [Benchmark(OperationsPerInvoke = Logs, Description = "ContractAbi.TryDecodeLog")]
    public int Decode()
    {
        var total = 0;
        foreach (var log in _logs)
        {
            if (_abi.TryDecodeLog(log, out var decoded))
            {
                total += decoded!.Values.Count;
            }
        }
        return total;
    }
}
