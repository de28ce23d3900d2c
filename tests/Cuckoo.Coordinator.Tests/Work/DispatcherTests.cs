using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.TestKit;
using Cuckoo.Chain;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Work;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Coordinator.Work;
using Cuckoo.Staking;
using Xunit;
using Address = Cuckoo.Chain.Address;
using AdmitMiner = Cuckoo.Coordinator.Registry.AdmitMiner;

namespace Cuckoo.Coordinator.Tests.Work;

public sealed class DispatcherTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly EthKey CoordinatorKey = EthKey.Generate();
    private static readonly StakingTypedData Typed = new(31337, Address.Parse("0x5fbdb2315678afecb367f032d93f642f64180aa3"));

    private readonly EthKey _minerKey = EthKey.Generate();
    private readonly EthKey _otherKey = EthKey.Generate();
    private readonly ConcurrentDictionary<Address, MinerAdmitted> _admitted = new();
    private readonly ConcurrentDictionary<IActorRef, string> _nodes = new();
    private readonly TestProbe _registry;
    private readonly TestProbe _scheduler;

    public DispatcherTests()
        : base("""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """)
    {
        _registry = CreateTestProbe();
        _scheduler = CreateTestProbe();
    }

    private Address Miner => _minerKey.Address;

    private IActorRef Dispatcher(TimeSpan? grace = null)
    {
        var dispatcher = Sys.ActorOf(Cuckoo.Coordinator.Work.Dispatcher.Props(new DispatcherSettings
        {
            Coordinator = CoordinatorKey.Address,
            TypedData = Typed,
            AdmissionOf = miner => _admitted.GetValueOrDefault(miner),
            CandidateOf = (miner, _) => System.Threading.Tasks.Task.FromResult(new CandidateInfo(miner, CandidateKind.Miner, miner, true, true, Cai.Tokens(30_000), 0, Cai.Tokens(30_000), 0, "")),
            NodeOf = actor => _nodes.GetValueOrDefault(actor, "elsewhere:1"),
            LinkGrace = grace ?? TimeSpan.FromSeconds(10),
            Tick = TimeSpan.FromMilliseconds(100),
        }, _registry.Ref));
        dispatcher.Tell(new SchedulerReady(_scheduler.Ref));
        return dispatcher;
    }

    /// <summary>A probe standing for a miner's work link on node <paramref name="node"/>, admitted there for <paramref name="models"/>.</summary>
    private TestProbe Link(Address miner, string node, params string[] models)
    {
        var probe = CreateTestProbe();
        _nodes[probe.Ref] = node;
        _admitted[miner] = new MinerAdmitted(miner.ToString(), "thumb", node, models.Length == 0 ? ["cuckoo-cppn"] : models, 2, "cpu", "0.9.0", 1, "sig");
        return probe;
    }

    private static WorkRequested Request(Address miner, int free = 2, long received = 0, params string[] models) =>
        new(miner.ToString(), models.Length == 0 ? ["cuckoo-cppn"] : models, 2, free, received, "cpu");

    private static DispatchTask Task(Address miner, string id = "app/t1", int attempt = 1) =>
        new(id, miner, attempt, "cuckoo-cppn", "a cuckoo"u8.ToArray(), new Dictionary<string, string> { ["seed"] = "7" }, TimeSpan.FromSeconds(30));

    private static WorkCompleted Completed(WorkAssigned work, EthKey signer, Address claimed)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData("png"u8));
        return new WorkCompleted(work.TaskId, work.Attempt, claimed.ToString(), "image/png", "png"u8.ToArray(), digest, WorkTask.SignResult(Typed, signer, work, digest));
    }

    private async Task<WorkAssigned> Connected(IActorRef dispatcher, TestProbe link, Address miner)
    {
        dispatcher.Tell(Request(miner), link.Ref);
        await _registry.FishForMessageAsync(m => m is AdmitMiner a && a.Miner == miner, Timeout);
        dispatcher.Tell(Task(miner));
        return await link.ExpectMsgAsync<WorkAssigned>(Timeout);
    }

    [Fact]
    public async Task Dispatcher_admits_a_link_into_the_registry_with_its_standing_and_credits()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061", "cuckoo-cppn");

        // A model the admission does not name is not passed on.
        dispatcher.Tell(Request(Miner, free: 2, models: ["cuckoo-cppn", "not-admitted"]), link.Ref);

        var admit = await _registry.FishForMessageAsync<AdmitMiner>(_ => true, Timeout);
        Assert.Equal(Miner, admit.Miner);
        Assert.Equal(["cuckoo-cppn"], admit.Models);
        Assert.Equal(2, admit.FreeCredits);
        var standing = await _registry.FishForMessageAsync<UpdateStanding>(_ => true, Timeout);
        Assert.Equal(Miner, standing.Miner);
        Assert.True(standing.Active);
    }

    [Fact]
    public async Task Dispatcher_refuses_a_link_for_a_miner_that_is_not_admitted_or_speaks_from_another_node()
    {
        var dispatcher = Dispatcher();
        var stranger = CreateTestProbe();
        dispatcher.Tell(Request(_otherKey.Address), stranger.Ref);
        var impostor = CreateTestProbe();
        Link(Miner, "10.0.0.5:4061");
        _nodes[impostor.Ref] = "10.0.0.9:4061";
        dispatcher.Tell(Request(Miner), impostor.Ref);

        await _registry.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task Dispatcher_carries_an_assignment_to_the_link_and_its_signed_result_back_once_recorded()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");

        var work = await Connected(dispatcher, link, Miner);
        Assert.Equal(("app/t1", 1, "cuckoo-cppn", CoordinatorKey.Address.ToString()), (work.TaskId, work.Attempt, work.Model, work.Coordinator));
        Assert.Equal("7", work.Parameters!["seed"]);

        dispatcher.Tell(Completed(work, _minerKey, Miner), link.Ref);
        var report = await _scheduler.FishForMessageAsync<ReportResult>(_ => true, Timeout);
        Assert.Equal((Miner, 1), (report.Miner, report.Attempt));
        _scheduler.Reply(new ResultAccepted(report.TaskId));

        var ack = await link.ExpectMsgAsync<WorkAcknowledged>(Timeout);
        Assert.True(ack.Accepted);
    }

    [Fact]
    public async Task Dispatcher_refuses_a_result_whose_signature_does_not_recover_to_the_miner()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        var work = await Connected(dispatcher, link, Miner);

        dispatcher.Tell(Completed(work, _otherKey, Miner), link.Ref);

        var ack = await link.ExpectMsgAsync<WorkAcknowledged>(Timeout);
        Assert.False(ack.Accepted);
        Assert.Contains("signature", ack.Reason);
        await Assert.ThrowsAnyAsync<Exception>(async () => await _scheduler.FishForMessageAsync(m => m is ReportResult, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Dispatcher_refuses_a_result_from_a_miner_the_attempt_was_not_given_to()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        var work = await Connected(dispatcher, link, Miner);
        var other = Link(_otherKey.Address, "10.0.0.6:4061");
        dispatcher.Tell(Request(_otherKey.Address), other.Ref);

        // Signed by its own key, honestly: still not its attempt.
        dispatcher.Tell(Completed(work, _otherKey, _otherKey.Address), other.Ref);
        Assert.False((await other.ExpectMsgAsync<WorkAcknowledged>(Timeout)).Accepted);

        // And it cannot speak for the assigned miner either: its messages do not come from that miner's link.
        dispatcher.Tell(Completed(work, _minerKey, Miner), other.Ref);
        var ack = await other.ExpectMsgAsync<WorkAcknowledged>(Timeout);
        Assert.False(ack.Accepted);
        Assert.Contains("work link", ack.Reason);
    }

    [Fact]
    public async Task Dispatcher_subtracts_assignments_still_on_their_way_from_the_credits_a_link_reports()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        await Connected(dispatcher, link, Miner);

        // The link reports 2 free before it has counted the assignment just sent.
        dispatcher.Tell(Request(Miner, free: 2, received: 0), link.Ref);
        Assert.Equal(1, (await _registry.FishForMessageAsync<AdmitMiner>(_ => true, Timeout)).FreeCredits);
        dispatcher.Tell(Request(Miner, free: 1, received: 1), link.Ref);
        Assert.Equal(1, (await _registry.FishForMessageAsync<AdmitMiner>(_ => true, Timeout)).FreeCredits);
    }

    [Fact]
    public async Task Dispatcher_wakes_waiting_tasks_when_a_link_has_credits_again()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        dispatcher.Tell(Request(Miner, free: 0), link.Ref);
        dispatcher.Tell(Request(Miner, free: 2), link.Ref);

        var freed = await _scheduler.FishForMessageAsync<CreditsFreed>(_ => true, Timeout);
        Assert.Equal(2, freed.Free);
        Assert.Contains("cuckoo-cppn", freed.Models);
    }

    [Fact]
    public async Task Dispatcher_reports_a_miner_lost_when_its_link_stops()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        await Connected(dispatcher, link, Miner);

        Sys.Stop(link.Ref);

        Assert.Equal(Miner, (await _scheduler.FishForMessageAsync<MinerLost>(_ => true, Timeout)).Miner);
        Assert.Equal(Miner, (await _registry.FishForMessageAsync<RemoveMiner>(_ => true, Timeout)).Miner);
    }

    [Fact]
    public async Task Dispatcher_drops_a_link_whose_admission_was_revoked()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        await Connected(dispatcher, link, Miner);

        _admitted.TryRemove(Miner, out _);

        Assert.Equal(Miner, (await _scheduler.FishForMessageAsync<MinerLost>(_ => true, Timeout)).Miner);
        Assert.Equal(Miner, (await _registry.FishForMessageAsync<RemoveMiner>(_ => true, Timeout)).Miner);
    }

    [Fact]
    public async Task Dispatcher_holds_an_assignment_for_a_miner_until_its_link_appears()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");

        // As after a failover: the recovered scheduler re-sends before the link has found the new leader.
        dispatcher.Tell(Task(Miner));
        await link.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        dispatcher.Tell(Request(Miner), link.Ref);

        Assert.Equal("app/t1", (await link.ExpectMsgAsync<WorkAssigned>(Timeout)).TaskId);
    }

    [Fact]
    public async Task Dispatcher_fails_an_attempt_whose_miner_never_connects()
    {
        Dispatcher(grace: TimeSpan.FromMilliseconds(300)).Tell(Task(Miner));

        var failure = await _scheduler.FishForMessageAsync<ReportFailure>(_ => true, Timeout);
        Assert.Equal(("app/t1", 1), (failure.TaskId, failure.Attempt));
        Assert.Contains("no work link", failure.Reason);
    }

    [Fact]
    public async Task Dispatcher_passes_a_failure_on_and_acknowledges_it()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        var work = await Connected(dispatcher, link, Miner);

        dispatcher.Tell(new WorkFailed(work.TaskId, work.Attempt, Miner.ToString(), "model error: out of memory"), link.Ref);

        var failure = await _scheduler.FishForMessageAsync<ReportFailure>(_ => true, Timeout);
        Assert.Contains("out of memory", failure.Reason);
        Assert.True((await link.ExpectMsgAsync<WorkAcknowledged>(Timeout)).Accepted);
    }

    [Fact]
    public async Task Dispatcher_passes_on_that_an_attempt_runs_only_from_the_link_it_was_given_to()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        var work = await Connected(dispatcher, link, Miner);
        var other = Link(_otherKey.Address, "10.0.0.6:4061");
        dispatcher.Tell(Request(_otherKey.Address), other.Ref);

        // Another miner's link, in its own name or the assigned miner's; an attempt that was never sent.
        dispatcher.Tell(new WorkStarted(work.TaskId, work.Attempt, _otherKey.Address.ToString()), other.Ref);
        dispatcher.Tell(new WorkStarted(work.TaskId, work.Attempt, Miner.ToString()), other.Ref);
        dispatcher.Tell(new WorkStarted(work.TaskId, work.Attempt + 1, Miner.ToString()), link.Ref);
        dispatcher.Tell(new WorkStarted(work.TaskId, work.Attempt, "not an address"), link.Ref);
        dispatcher.Tell(new WorkStarted(work.TaskId, work.Attempt, Miner.ToString()), link.Ref);

        var started = await _scheduler.FishForMessageAsync<AttemptStarted>(_ => true, Timeout);
        Assert.Equal(new AttemptStarted(work.TaskId, Miner, work.Attempt), started);
        // The refused ones came first: had one been passed on, it would have been the one found, or a second would follow.
        await _scheduler.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        // Nothing to acknowledge: a link does not resend it.
        await link.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Dispatcher_tells_a_link_to_stop_resending_an_attempt_that_is_over()
    {
        var dispatcher = Dispatcher();
        var link = Link(Miner, "10.0.0.5:4061");
        var work = await Connected(dispatcher, link, Miner);
        dispatcher.Tell(new RevokeTask(work.TaskId, Miner, work.Attempt, "deadline"));
        Assert.IsType<WorkRevoked>(await link.ExpectMsgAsync<WorkRevoked>(Timeout));

        dispatcher.Tell(Completed(work, _minerKey, Miner), link.Ref);
        var query = await _scheduler.FishForMessageAsync<GetTask>(_ => true, Timeout);
        _scheduler.Reply(new Cuckoo.Coordinator.Scheduler.TaskStatus.Assigned(query.TaskId, _otherKey.Address, 2));

        var ack = await link.ExpectMsgAsync<WorkAcknowledged>(Timeout);
        Assert.False(ack.Accepted);
        Assert.Contains("not running on this miner", ack.Reason);
    }
}
