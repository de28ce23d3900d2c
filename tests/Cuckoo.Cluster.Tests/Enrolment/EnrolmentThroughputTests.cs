using System.Diagnostics;
using Cuckoo.Staking.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Cuckoo.Cluster.Tests.Enrolment;

/// <summary>A measurement, not a limit: enrolments per second through the client, Kestrel over HTTPS and eligibility on Hardhat.</summary>
[Collection("hardhat")]
public sealed class EnrolmentThroughputTests(HardhatFixture fixture, ITestOutputHelper output) : EnrolmentTestBase(fixture)
{
    [Fact]
    public async Task Enrolment_throughput_is_measured()
    {
        await RegisterMinerAsync();
        await StartAsync();
        var client = NewClient();
        for (var i = 0; i < 20; i++)
        {
            await EnrolAsync(client);
        }

        const int sequential = 200;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < sequential; i++)
        {
            await EnrolAsync(client);
        }
        var sequentialRate = sequential / watch.Elapsed.TotalSeconds;

        const int workers = 8, each = 50;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            for (var i = 0; i < each; i++)
            {
                await EnrolAsync(client);
            }
        }));
        var concurrentRate = workers * each / watch.Elapsed.TotalSeconds;

        output.WriteLine($"enrolments/s: {sequentialRate:F0} one at a time, {concurrentRate:F0} with {workers} concurrent miners (challenge + enrolment over HTTPS, candidateOf on Hardhat)");
        Assert.Equal(20 + sequential + workers * each, Sink.Admitted.Count);
    }
}
