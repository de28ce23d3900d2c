using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Cuckoo.Chain;
using Cuckoo.Cluster.Work;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Persistence;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;
using SchedulerActor = Cuckoo.Coordinator.Scheduler.Scheduler;

namespace Cuckoo.Simulation;

/// <summary>
/// Runs simulated miners against the coordinator's real registry, scheduler and trust keeper in one actor system (the
/// in-memory journal, an in-memory twin of the staking contract), and reports who was caught, how soon, and at what cost.
/// </summary>
public static partial class Simulator
{
    /// <summary>The devnet's chain id: the miners sign for it, as they would on a local Hardhat node.</summary>
    public const long ChainId = 31337;

    /// <summary>Where the staking contract would be (the first deployment of Hardhat's first account): it names the signatures' domain.</summary>
    public static readonly Address Contract = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");

    /// <exception cref="ArgumentException">settings that cannot run (<see cref="SimulationSettings.Problem"/>).</exception>
    public static async Task<SimulationReport> RunAsync(SimulationSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }
        var clock = Stopwatch.StartNew();
        var typed = new StakingTypedData(ChainId, Contract);
        var coordinator = KeyOf(settings.Seed, "coordinator", 0);
        var miners = CreateMiners(settings);
        var chain = new InMemoryTrustChain(typed, coordinator.Address);
        foreach (var miner in miners)
        {
            chain.AddMiner(miner.Address, KeyOf(settings.Seed, "staker", miner.Index).Address, miner.Stake);
        }

        // One signature before the clock matters: the first costs Nethereum's start-up.
        var warm = WorkTask.For("warm-up", SimModel.Name, []);
        typed.SignResult(coordinator, warm, new byte[32], coordinator.Address);

        var system = ActorSystem.Create($"sim-{settings.Seed}", Hocon);
        try
        {
            var registry = system.ActorOf(MinerRegistry.Props(new MinerRegistrySettings { Seed = settings.Seed, ListenOnEventStream = false }), "registry");
            foreach (var miner in miners)
            {
                registry.Tell(new UpdateStanding(miner.Address)
                {
                    Kind = CandidateKind.Miner, Registered = true, Active = true, SelfStake = miner.Stake, Votes = BigInteger.Zero,
                });
                registry.Tell(new AdmitMiner(miner.Address, [SimModel.Name], settings.Capacity));
            }
            var dispatcher = system.ActorOf(SimDispatcher.Props(miners, typed, coordinator.Address, registry, settings.Capacity), "dispatcher");
            var trust = system.ActorOf(TrustKeeperProps(typed, coordinator, chain, registry), "trust");
            trust.Tell(new SubscribeJail(dispatcher));
            var audits = new Random(settings.Seed);
            var scheduler = system.ActorOf(SchedulerActor.Props(new SchedulerSettings
            {
                PersistenceId = "sim-scheduler",
                TaskDeadline = settings.Deadline,
                SweepInterval = TimeSpan.FromMilliseconds(25),
                AssignmentRetry = TimeSpan.FromMilliseconds(100),
                AuditWait = TimeSpan.FromSeconds(2),
                AuditRate = settings.AuditRate,
                Random = audits.NextDouble,
                RecentOutcomes = 1_000,
                PerAppQuota = Math.Max(10_000, settings.InFlight),
                MaxQueue = Math.Max(100_000, settings.InFlight),
            }, registry, dispatcher, trust: trust), "scheduler");
            dispatcher.Tell(new SchedulerStarted(scheduler));

            var done = new TaskCompletionSource<DriverTally>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(SimDriver.Props(scheduler, settings.TaskCount, settings.InFlight, settings.Verify, settings.Seed, done), "app");
            var tally = await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

            var tallies = await SettledAsync(scheduler, trust, dispatcher, settings, tally, cancellationToken).ConfigureAwait(false);
            var rewards = await trust.Ask<RewardsReport>(GetRewards.Instance, AskTimeout, cancellationToken).ConfigureAwait(false);
            return Report(settings, miners, tally, tallies, rewards, chain, clock.Elapsed);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static readonly Config Hocon = ConfigurationFactory.ParseString("""
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            akka.log-dead-letters = off
            akka.log-dead-letters-during-shutdown = off
            """)
        .WithFallback(PersistenceSettings.InMemoryConfig());

    /// <summary>
    /// The miners in a seeded order of kinds, so that no kind always gets the largest stakes: stakes are drawn uniformly
    /// between 25,000 and 100,000 CAI, above the contract's 20,000 minimum; every miner is its own staker.
    /// </summary>
    internal static IReadOnlyList<SimMiner> CreateMiners(SimulationSettings settings)
    {
        var random = new Random(settings.Seed);
        var kinds = Enumerable.Repeat(MinerKind.Faker, settings.Fakers)
            .Concat(Enumerable.Repeat(MinerKind.Colluder, settings.Colluders))
            .Concat(Enumerable.Repeat(MinerKind.Crasher, settings.Crashers))
            .Concat(Enumerable.Repeat(MinerKind.Honest, settings.Miners - settings.Fakers - settings.Colluders - settings.Crashers))
            .ToArray();
        random.Shuffle(kinds);
        return [.. kinds.Select((kind, i) => new SimMiner(
            i, KeyOf(settings.Seed, "miner", i), kind, Cai.Tokens(random.NextInt64(25_000, 100_001)),
            kind switch
            {
                MinerKind.Faker => settings.FakeRate,
                MinerKind.Colluder => settings.ColludeRate,
                MinerKind.Crasher => settings.CrashRate,
                _ => 0,
            },
            settings.Seed))];
    }

    /// <summary>A key fixed by the seed, so that a run's addresses are the same every time.</summary>
    internal static EthKey KeyOf(int seed, string role, int index) =>
        EthKey.FromPrivateKey(SHA256.HashData(Encoding.UTF8.GetBytes($"cuckoo-sim/{seed}/{role}/{index}")));

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits until the trust keeper has journaled every settlement, jailed every suspect and answered for every slash
    /// and deposit due, then returns what the miners did. The scheduler told the keeper of the last settlements before
    /// it answers a query; the keeper answers a repeated settlement only once every write before it is in (it takes
    /// settlements once by task id, so repeating the last one changes nothing); its jailings reach the dispatcher
    /// before anything sent to it later.
    /// </summary>
    private static async Task<MinerTallies> SettledAsync(
        IActorRef scheduler, IActorRef trust, IActorRef dispatcher, SimulationSettings settings, DriverTally tally, CancellationToken cancellationToken)
    {
        await scheduler.Ask<object>(new GetTask(SimDriver.TaskIdOf(settings.Seed, 0)), AskTimeout, cancellationToken).ConfigureAwait(false);
        if (tally.LastCompleted is { } last)
        {
            await trust.Ask<SettlementRecorded>(new TaskSettled(last, SimModel.Name, "", [], false, DateTimeOffset.UtcNow), AskTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        var deadline = DateTime.UtcNow + AskTimeout;
        while (await ChainCallsPendingAsync(trust, cancellationToken).ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the trust keeper still had slashes or deposits on their way after {AskTimeout.TotalSeconds} s");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
        return await dispatcher.Ask<MinerTallies>(GetMinerTallies.Instance, AskTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a slash or a deposit of a closed period is still being sent to the chain (the twin answers at once; the keeper sends one at a time).</summary>
    private static async Task<bool> ChainCallsPendingAsync(IActorRef trust, CancellationToken cancellationToken)
    {
        var rewards = await trust.Ask<RewardsReport>(GetRewards.Instance, AskTimeout, cancellationToken).ConfigureAwait(false);
        if (rewards.Closed.Any(p => p.Miners.Any(m => m.Deposit == DepositStatus.Pending)))
        {
            return true;
        }
        var jail = await trust.Ask<JailList>(GetJail.Instance, AskTimeout, cancellationToken).ConfigureAwait(false);
        foreach (var id in jail.Miners.SelectMany(m => m.EvidenceIds))
        {
            if (await trust.Ask<object>(new GetEvidence(id), AskTimeout, cancellationToken).ConfigureAwait(false) is EvidenceFound { Slash.Status: SlashStatus.Pending })
            {
                return true;
            }
        }
        return false;
    }
}
