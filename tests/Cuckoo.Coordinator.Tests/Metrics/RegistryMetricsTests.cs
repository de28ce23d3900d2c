using System.Diagnostics.Metrics;
using System.Numerics;
using Akka.Actor;
using Cuckoo.Coordinator.Metrics;
using Cuckoo.Coordinator.Registry;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Cuckoo.Coordinator.Tests.Registry.RegistryFixtures;
using Address = Cuckoo.Chain.Address;
using Cai = Cuckoo.Staking.Cai;

namespace Cuckoo.Coordinator.Tests.Metrics;

public sealed class RegistryMetricsTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly BigInteger Stake = Cai.Tokens(50_000);

    public RegistryMetricsTests() : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public void Registry_metrics_gauge_known_miners_by_eligibility_and_first_reason()
    {
        using var metrics = new CoordinatorMetrics();
        using var recorder = new MetricsRecorder(metrics);
        var registry = Sys.ActorOf(MinerRegistry.Props(new MinerRegistrySettings { Seed = 3, ListenOnEventStream = false }, metrics));
        Register(registry, Miner(1));
        registry.Tell(new AdmitMiner(Miner(1), ["llama"], 5));
        registry.Tell(new AdmitMiner(Miner(2), ["llama"], 5));
        Register(registry, Miner(3));
        registry.Tell(new AdmitMiner(Miner(3), ["llama"], 0));
        Register(registry, Miner(4));
        Assert.Equal(Miners(eligible: 1, ("not_registered", 1), ("no_credits", 1), ("not_admitted", 1)), Observe(registry, recorder));

        // Jailed and out of credits: counted once, under the reason that comes first.
        registry.Tell(new UpdateStanding(Miner(1)) { Jailed = true });
        registry.Tell(new SetCredits(Miner(1), 0));
        registry.Tell(new SetCredits(Miner(3), 1));
        Assert.Equal(Miners(eligible: 1, ("not_registered", 1), ("jailed", 1), ("not_admitted", 1)), Observe(registry, recorder));

        // A pick takes the last credit of the only eligible miner.
        registry.Tell(new PickMiner("t1", "llama"), TestActor);
        Assert.Equal(Miner(3), ExpectMsg<MinerPicked>(Timeout).Miner);
        Assert.Equal(Miners(eligible: 0, ("not_registered", 1), ("jailed", 1), ("not_admitted", 1), ("no_credits", 1)), Observe(registry, recorder));
    }

    [Fact]
    public void CoordinatorMetrics_names_its_meter_and_instruments_as_the_exporter_expects()
    {
        using var metrics = new CoordinatorMetrics();
        using var recorder = new MetricsRecorder(metrics);
        Assert.Equal("Cuckoo.Coordinator", metrics.Meter.Name);
        Assert.Equal(CoordinatorMetrics.MeterName, metrics.Meter.Name);
        Assert.IsType<ObservableGauge<long>>(recorder.Instrument("cuckoo.scheduler.queue_depth"));
        Assert.IsType<Histogram<double>>(recorder.Instrument("cuckoo.scheduler.assignment_latency"));
        Assert.IsType<Histogram<double>>(recorder.Instrument("cuckoo.scheduler.task_latency"));
        Assert.IsType<Counter<long>>(recorder.Instrument("cuckoo.scheduler.reassignments"));
        Assert.IsType<Counter<long>>(recorder.Instrument("cuckoo.scheduler.tasks"));
        Assert.IsType<ObservableGauge<long>>(recorder.Instrument("cuckoo.registry.miners"));
        Assert.Equal(
            ["{task}", "s", "s", "{task}", "{task}", "{miner}"],
            new[] { CoordinatorMetrics.QueueDepth, CoordinatorMetrics.AssignmentLatency, CoordinatorMetrics.TaskLatency, CoordinatorMetrics.Reassignments, CoordinatorMetrics.Tasks, CoordinatorMetrics.Miners }
                .Select(name => recorder.Instrument(name).Unit));
        // Before any actor reports, the gauges read zero rather than nothing.
        Assert.Equal(0, recorder.Observe(CoordinatorMetrics.QueueDepth).Values.Sum());
        Assert.Equal(10, recorder.Observe(CoordinatorMetrics.Miners).Count);
    }

    [Fact]
    public void CoordinatorMetrics_takes_its_meter_from_the_hosts_factory_which_owns_it()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new CoordinatorMetrics(factory);
        using var recorder = new MetricsRecorder(metrics);
        Assert.Same(factory, metrics.Meter.Scope);
        metrics.Dispose();
        // Still published: disposing the metrics left the factory's meter alone.
        Assert.Equal(2, recorder.Observe(CoordinatorMetrics.QueueDepth).Count);
    }

    private static void Register(IActorRef registry, Address miner)
    {
        foreach (var e in Registration(miner, Stake, block: 1))
        {
            registry.Tell(e);
        }
    }

    /// <summary>The gauge once the registry has handled everything sent before (its reply to a later message is the fence).</summary>
    private Dictionary<string, double> Observe(IActorRef registry, MetricsRecorder recorder)
    {
        registry.Tell(new GetMiners(), TestActor);
        ExpectMsg<MinerList>(Timeout);
        return recorder.Observe(CoordinatorMetrics.Miners).Where(kv => kv.Value != 0).ToDictionary();
    }

    private static Dictionary<string, double> Miners(int eligible, params (string Reason, int Count)[] ineligible)
    {
        var expected = ineligible.ToDictionary(r => $"reason={r.Reason},state=ineligible", r => (double)r.Count);
        if (eligible > 0)
        {
            expected["reason=none,state=eligible"] = eligible;
        }
        return expected;
    }
}
