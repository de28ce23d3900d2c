using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Cuckoo.Persistence.Tests.Configuration;

/// <summary>The composed configuration runs a persistent actor, through a plain ActorSystem and through Akka.Hosting.</summary>
public sealed class LoadedSystemTests : IDisposable
{
    /// <summary>These systems run on shared.conf, not test.conf, so they get TestKit's 3 s default unless told otherwise.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_plain_actor_system_from_the_loader_persists_into_a_new_folder_and_recovers()
    {
        var db = Path.Combine(_dir.Path, "data", "node.db");
        var options = new HoconOptions
        {
            Role = NodeRole.Coordinator,
            Directory = CuckooHoconTests.RepoHocon(),
            Environment = new Dictionary<string, string?> { [CuckooHocon.ConnectionStringVariable] = $"Data Source={db}" },
        };
        var config = CuckooHocon.Load(options);
        CuckooHocon.PrepareStorage(config);

        for (var run = 1; run <= 2; run++)
        {
            using var system = ActorSystem.Create("loaded", config);
            using var kit = new Akka.TestKit.Xunit2.TestKit(system);
            var probe = kit.CreateTestProbe();
            var actor = system.ActorOf(ListActor.Props("loaded-list", probe.Ref));
            if (run == 2)
            {
                Assert.Equal("first", probe.ExpectMsg<Replayed>(Wait).Item);
            }

            Assert.Equal(run - 1, probe.ExpectMsg<Recovered>(Wait).LastSequenceNr);
            if (run == 1)
            {
                actor.Tell(new Add("first"));
                probe.ExpectMsg<Persisted>(Wait);
            }

            await system.Terminate();
        }

        Assert.True(File.Exists(db));
    }

    [Fact]
    public async Task Akka_Hosting_takes_the_loaded_configuration_with_AddCuckooHocon()
    {
        var db = _dir.File("hosted.db");
        var options = new HoconOptions
        {
            Directory = CuckooHoconTests.RepoHocon(),
            Environment = new Dictionary<string, string?> { [CuckooHocon.ConnectionStringVariable] = $"Data Source={db}" },
        };
        CuckooHocon.PrepareStorage(CuckooHocon.Load(options));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("hosted", akka => akka.AddCuckooHocon(options));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.Equal("SQLite.MS", system.Settings.Config.GetString("akka.persistence.journal.sql.provider-name"));
            Assert.IsType<PersistedEventSerializer>(system.Serialization.FindSerializerFor(new Counted("a", 1)));
            using var kit = new Akka.TestKit.Xunit2.TestKit(system);
            var probe = kit.CreateTestProbe();
            var actor = system.ActorOf(ListActor.Props("hosted-list", probe.Ref));
            probe.ExpectMsg<Recovered>(Wait);
            actor.Tell(new Add("hosted"));
            Assert.Equal(new Persisted("hosted", 1), probe.ExpectMsg<Persisted>(Wait));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void The_test_scheduler_line_gives_a_test_virtual_time()
    {
        var config = CuckooHocon.Load(new HoconOptions
        {
            Test = true,
            Directory = CuckooHoconTests.RepoHocon(),
            Environment = new Dictionary<string, string?>(),
            Extra = "akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"",
        });
        using var kit = new Akka.TestKit.Xunit2.TestKit(config);
        var scheduler = Assert.IsType<TestScheduler>(kit.Sys.Scheduler);
        var probe = kit.CreateTestProbe();

        kit.Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromHours(1), probe.Ref, "an hour later", ActorRefs.NoSender);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        scheduler.Advance(TimeSpan.FromHours(1));
        probe.ExpectMsg("an hour later");
    }
}
