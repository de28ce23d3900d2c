using Xunit;

namespace Cuckoo.Simulation.Tests;

public sealed class SimMinerTests
{
    private static readonly string[] TaskIds = [.. Enumerable.Range(0, 4_000).Select(i => $"task-{i}")];

    private static readonly byte[] Input = [1, 2, 3];

    [Fact]
    public void Honest_miners_return_the_models_output_for_every_task()
    {
        var miner = Miner(0, MinerKind.Honest, 0);

        Assert.All(TaskIds, id => Assert.Equal(SimModel.Run(SimModel.Name, Input), Assert.IsType<RunOutcome.Output>(miner.Run(id, SimModel.Name, Input)).Bytes));
    }

    [Fact]
    public void Fakers_fake_about_their_share_each_on_different_tasks_with_bytes_nobody_else_produces()
    {
        var a = Miner(0, MinerKind.Faker, 0.1);
        var b = Miner(1, MinerKind.Faker, 0.1);

        var fakedA = TaskIds.Where(id => Outcome(a, id).Faked).ToHashSet();
        var fakedB = TaskIds.Where(id => Outcome(b, id).Faked).ToHashSet();

        Assert.InRange(fakedA.Count, 320, 480);
        Assert.InRange(fakedB.Count, 320, 480);
        Assert.True(fakedA.Intersect(fakedB).Count() < 80, "lone fakers should pick their tasks independently");
        Assert.All(fakedA.Intersect(fakedB), id => Assert.NotEqual(Outcome(a, id).Bytes, Outcome(b, id).Bytes));
        // The same task given again is faked again the same way: a miner is consistent, not noisy.
        Assert.All(fakedA, id => Assert.Equal(Outcome(a, id).Bytes, Outcome(a, id).Bytes));
    }

    [Fact]
    public void Colluders_fake_the_same_tasks_with_the_same_bytes()
    {
        var a = Miner(0, MinerKind.Colluder, 0.1);
        var b = Miner(1, MinerKind.Colluder, 0.1);

        var fakedA = TaskIds.Where(id => Outcome(a, id).Faked).ToList();

        Assert.InRange(fakedA.Count, 320, 480);
        Assert.Equal(fakedA, TaskIds.Where(id => Outcome(b, id).Faked));
        Assert.All(fakedA, id => Assert.Equal(Outcome(a, id).Bytes, Outcome(b, id).Bytes));
        Assert.All(fakedA, id => Assert.NotEqual(SimModel.Run(SimModel.Name, Input), Outcome(a, id).Bytes));
    }

    [Fact]
    public void Crashers_lose_about_their_share_of_runs_half_as_failures_half_as_silence_and_never_fake()
    {
        var miner = Miner(0, MinerKind.Crasher, 0.2);

        var outcomes = TaskIds.Select(id => miner.Run(id, SimModel.Name, Input)).ToList();

        Assert.InRange(outcomes.Count(o => o is RunOutcome.Failure), 300, 500);
        Assert.InRange(outcomes.Count(o => o is RunOutcome.Silence), 300, 500);
        Assert.DoesNotContain(outcomes.OfType<RunOutcome.Output>(), o => o.Faked);
    }

    [Fact]
    public void Miners_of_one_seed_are_the_same_every_time_with_every_kind_counted_and_stakes_above_the_minimum()
    {
        var settings = new SimulationSettings { Miners = 12, Fakers = 3, Colluders = 2, Crashers = 2, Seed = 7 };

        var first = Simulator.CreateMiners(settings);
        var again = Simulator.CreateMiners(settings);

        Assert.Equal(first.Select(m => (m.Address, m.Kind, m.Stake)), again.Select(m => (m.Address, m.Kind, m.Stake)));
        Assert.Equal(12, first.Select(m => m.Address).Distinct().Count());
        Assert.Equal(3, first.Count(m => m.Kind == MinerKind.Faker));
        Assert.Equal(2, first.Count(m => m.Kind == MinerKind.Colluder));
        Assert.Equal(2, first.Count(m => m.Kind == MinerKind.Crasher));
        Assert.All(first, m => Assert.True(m.Stake > Staking.Cai.Tokens(20_000)));
        Assert.NotEqual(first.Select(m => m.Address), Simulator.CreateMiners(settings with { Seed = 8 }).Select(m => m.Address));
    }

    private static SimMiner Miner(int index, MinerKind kind, double rate) =>
        new(index, Simulator.KeyOf(1, "miner", index), kind, Staking.Cai.Tokens(50_000), rate, seed: 1);

    private static RunOutcome.Output Outcome(SimMiner miner, string taskId) => Assert.IsType<RunOutcome.Output>(miner.Run(taskId, SimModel.Name, Input));
}
