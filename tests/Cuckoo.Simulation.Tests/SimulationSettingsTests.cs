using Xunit;

namespace Cuckoo.Simulation.Tests;

public sealed class SimulationSettingsTests
{
    [Fact]
    public void The_defaults_are_the_issues_scenario_and_can_run()
    {
        var settings = new SimulationSettings();

        Assert.Null(settings.Problem());
        Assert.Equal((20, 3, 0.1, 2, 0.08, 1), (settings.Miners, settings.Fakers, settings.FakeRate, settings.Crashers, settings.AuditRate, settings.Verify));
        Assert.Equal(20_000, settings.TaskCount);
    }

    [Fact]
    public async Task Running_settings_that_cannot_run_throws_with_the_problem()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Simulator.RunAsync(new SimulationSettings { Miners = 3, Fakers = 4 }));

        Assert.Contains("exceed --miners", e.Message);
    }
}
