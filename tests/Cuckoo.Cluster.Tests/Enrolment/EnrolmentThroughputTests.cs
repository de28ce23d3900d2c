using System.Diagnostics;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Staking.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Cluster.Tests.Enrolment;

/// <summary>A measurement, not a limit: enrolments per second through the client, Kestrel over HTTPS and eligibility on Hardhat.</summary>
[Collection("hardhat")]
public sealed class EnrolmentThroughputTests(HardhatFixture fixture, ITestOutputHelper output) : EnrolmentTestBase(fixture)
{
    private const int Sequential = 200;
    private const int Workers = 8;
    private const int Each = 50;

    [Fact]
    public async Task Enrolment_throughput_is_measured()
    {
        await RegisterMinerAsync();
        await StartAsync();
        var (chainSequential, chainConcurrent) = await MeasureAsync();
        var admittedOnChain = Sink.Admitted.Count;

        await StartAsync(eligibility: new AlwaysEligible());
        var (memorySequential, memoryConcurrent) = await MeasureAsync();

        output.WriteLine(
            $"enrolments/s (challenge + enrolment over HTTPS): with candidateOf on Hardhat {chainSequential:F0} one at a time, {chainConcurrent:F0} with {Workers} concurrent miners; " +
            $"eligibility in memory {memorySequential:F0} one at a time, {memoryConcurrent:F0} concurrent");
        Assert.Equal(2 * (20 + Sequential + Workers * Each), Sink.Admitted.Count);
        Assert.Equal(20 + Sequential + Workers * Each, admittedOnChain);
    }

    private async Task<(double Sequential, double Concurrent)> MeasureAsync()
    {
        var client = NewClient();
        for (var i = 0; i < 20; i++)
        {
            await EnrolAsync(client);
        }
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Sequential; i++)
        {
            await EnrolAsync(client);
        }
        var sequential = Sequential / watch.Elapsed.TotalSeconds;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
        {
            for (var i = 0; i < Each; i++)
            {
                await EnrolAsync(client);
            }
        }));
        return (sequential, Workers * Each / watch.Elapsed.TotalSeconds);
    }

    private sealed class AlwaysEligible : IMinerEligibility
    {
        public Task<MinerStanding> CheckAsync(Address miner, CancellationToken cancellationToken) =>
            Task.FromResult(new MinerStanding(miner, true, null, "eligible", 0, 0));
    }
}
