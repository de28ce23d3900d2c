using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Persistence;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>
/// Acts on what the scheduler settled: credits agreeing miners with verified work, jails every suspect at once (the
/// registry, the jail book and subscribers are told), stores the evidence against it, submits slashes on chain once a
/// miner has <see cref="TrustSettings.SlashAfter"/> pieces, and pays each reward period's budget in proportion to the
/// work of the miners not jailed. Every decision is journaled before anyone is told of it; state changes only as each
/// write completes, so a snapshot is always exactly the journal. Chain calls run one at a time, off the actor, and
/// come back as messages; refusals for now are retried on a timer. Messages are in <c>TrustProtocol.cs</c>, replies
/// in <c>TrustViews.cs</c>.
/// </summary>
public sealed partial class TrustKeeper : ReceivePersistentActor, IWithTimers
{
    private readonly TrustSettings _settings;
    private readonly ITrustChain _chain;
    private readonly Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?> _buildEvidence;
    private readonly IActorRef _registry;
    private readonly JailBook? _jailBook;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TrustBook _book;
    private readonly HashSet<string> _settling = new(StringComparer.Ordinal);
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _sinceSnapshot;

    public TrustKeeper(
        TrustSettings settings,
        ITrustChain chain,
        Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?> buildEvidence,
        IActorRef registry,
        JailBook? jailBook)
    {
        _settings = settings;
        _chain = chain;
        _buildEvidence = buildEvidence;
        _registry = registry;
        _jailBook = jailBook;
        _book = new TrustBook(settings.RecentSettlements, settings.KeepPeriods);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not TrustSnapshot snapshot)
            {
                throw new InvalidOperationException($"trust keeper {PersistenceId}: a snapshot of type {offer.Snapshot.GetType().Name} is not the keeper's");
            }
            _book.Apply(snapshot);
        });
        Recover<IPersistedEvent>(e => _book.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<TaskSettled>(OnSettled);
        Command<GetEvidence>(m => Sender.Tell(FindEvidence(m.EvidenceId)));
        Command<GetJail>(_ => Sender.Tell(JailView()));
        Command<GetRewards>(_ => Sender.Tell(RewardsView()));
        Command<SubscribeJail>(m =>
        {
            if (_subscribers.Add(m.Subscriber))
            {
                Context.Watch(m.Subscriber);
            }
        });
        Command<Terminated>(m => _subscribers.Remove(m.ActorRef));
        ChainCommands();
        Command<SaveSnapshotSuccess>(saved =>
        {
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "trust keeper {0} could not save a snapshot; the journal still has every event", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning(f.Cause, "trust keeper {0} could not delete old events", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "trust keeper {0} could not delete old snapshots", PersistenceId));
    }

    /// <summary>Props for the trust keeper; the system must have a journal and a snapshot store configured.</summary>
    /// <param name="chain">The staking contract as the coordinator sends to it.</param>
    /// <param name="buildEvidence">The evidence against one suspect of a settlement at a time, or null when none can be built (no two witnesses signed the same output).</param>
    /// <param name="registry">Told <see cref="UpdateStanding"/> with <c>Jailed = true</c> for each jailed miner.</param>
    /// <param name="jailBook">Enrolment's book of refused miners, filled with every jailed one; null: none.</param>
    /// <exception cref="ArgumentException">settings out of range.</exception>
    public static Props Props(
        TrustSettings settings,
        ITrustChain chain,
        Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?> buildEvidence,
        IActorRef registry,
        JailBook? jailBook)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(buildEvidence);
        ArgumentNullException.ThrowIfNull(registry);
        settings.Validate();
        return Akka.Actor.Props.Create(() => new TrustKeeper(settings, chain, buildEvidence, registry, jailBook));
    }

    /// <summary>
    /// The trust keeper under a <see cref="BackoffSupervisor"/> that starts it again, recovering from the journal, after it
    /// stopped (a failed write or recovery), without limit: after 1 s, doubling to 30 s, unless given.
    /// </summary>
    public static Props SupervisedProps(
        TrustSettings settings,
        ITrustChain chain,
        Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?> buildEvidence,
        IActorRef registry,
        JailBook? jailBook,
        TimeSpan? minBackoff = null,
        TimeSpan? maxBackoff = null) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props(settings, chain, buildEvidence, registry, jailBook), "trust", minBackoff ?? TimeSpan.FromSeconds(1),
            maxBackoff ?? TimeSpan.FromSeconds(30), randomFactor: 0.2, maxNrOfRetries: -1));

    public override string PersistenceId => _settings.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        base.PostStop();
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // Its effects never ran and its task id stays in flight: a fresh recovery is the simple way back.
        _log.Error(cause, "trust keeper {0}: the journal rejected {1}; stopping to recover from the journal", PersistenceId, @event.GetType().Name);
        Context.Stop(Self);
    }

    private void OnRecovered()
    {
        // The registry and the jail book are not durable: they learn the jail again from the journal.
        foreach (var miner in _book.JailedMiners)
        {
            TellJailed(miner, _book.JailOf(miner)!.Reason);
        }
        if (_book.CurrentStart is null)
        {
            Record(new RewardPeriodStarted(1, Now));
        }
        ArmRewardPeriod(_book.CurrentStart is { } start ? start + _settings.RewardPeriod - Now : _settings.RewardPeriod);
        ReadMinWitnesses();
        _log.Info("trust keeper {0} recovered: {1} miners jailed, {2} pieces of evidence, {3} reward periods with deposits owed",
            PersistenceId, _book.JailedMiners.Count(), _book.Evidence.Count, _book.Closed.Count(p => p.Owed().Any()));
        Pump();
    }

    private void OnSettled(TaskSettled settled)
    {
        var sender = Sender;
        if (_book.WasSettled(settled.TaskId) || _settling.Contains(settled.TaskId))
        {
            // Replied once the first one's write is in, whichever write that is.
            DeferAsync(settled.TaskId, id => sender.Tell(new SettlementRecorded(id)));
            return;
        }
        _settling.Add(settled.TaskId);
        Record(Settle(settled), () => sender.Tell(new SettlementRecorded(settled.TaskId)));
    }

    /// <summary>The settlement as journaled, with the evidence against each suspect built now.</summary>
    private SettlementJournaled Settle(TaskSettled settled)
    {
        List<MinerEvidence>? evidence = null;
        List<UnprovableSuspect>? unprovable = null;
        foreach (var run in settled.Runs.Where(r => !r.Agreed))
        {
            MinerEvidence? built;
            string? failure = null;
            try
            {
                built = _buildEvidence(settled, run, Now);
            }
            catch (Exception e)
            {
                // The suspect is jailed either way; evidence that cannot be built is recorded as such, not retried.
                built = null;
                failure = $"the evidence could not be built: {e.Message}";
            }
            if (built is not null)
            {
                (evidence ??= []).Add(built);
            }
            else
            {
                (unprovable ??= []).Add(new UnprovableSuspect(run.Miner, failure ?? WhyUnprovable(settled)));
            }
        }
        return new SettlementJournaled(
            settled.TaskId,
            settled.Model,
            settled.InputDigest,
            [.. settled.Runs.Select(r => new SettledRun(r.Miner, r.Attempt, r.OutputDigest, r.Signature, r.Agreed))],
            settled.Audited,
            settled.At,
            evidence,
            unprovable);
    }

    private static string WhyUnprovable(TaskSettled settled)
    {
        var agreed = settled.Runs.Where(r => r.Agreed).ToList();
        if (agreed.Count == 0)
        {
            return "no agreeing result to witness against";
        }
        var sameOutput = agreed.GroupBy(r => r.OutputDigest, StringComparer.OrdinalIgnoreCase).Max(g => g.Count());
        return sameOutput < agreed.Count
            ? "the agreeing results match only within the model's tolerance, so no witnesses signed one output the contract can compare"
            : "no evidence could be built from the witnesses' signatures";
    }

    /// <summary>Journals <paramref name="e"/>; once it is in, applies it, tells everyone it concerns, then <paramref name="then"/>.</summary>
    private void Record(IPersistedEvent e, Action? then = null) =>
        PersistAsync(e, written =>
        {
            var jailed = _book.Apply(written);
            if (written is SettlementJournaled settled)
            {
                _settling.Remove(settled.TaskId);
                _slashesDirty |= settled.Evidence is { Count: > 0 };
                foreach (var miner in jailed)
                {
                    Jailed(miner, settled);
                }
            }
            then?.Invoke();
            if (++_sinceSnapshot >= _settings.SnapshotEvery)
            {
                // Taken here, when the state is exactly the journal up to this event (every change waits for its write).
                _sinceSnapshot = 0;
                SaveSnapshot(_book.ToSnapshot());
            }
            Pump();
        });

    private void Jailed(Address miner, SettlementJournaled settled)
    {
        var entry = _book.JailOf(miner)!;
        _log.Warning("trust keeper {0}: jailed {1}: {2}", PersistenceId, miner, entry.Reason);
        TellJailed(miner, entry.Reason);
        var evidenceId = settled.Evidence?.FirstOrDefault(e => e.Accused == miner)?.EvidenceId ?? "";
        var message = new MinerJailed(miner, entry.Reason, evidenceId, settled.At);
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(message);
        }
    }

    private void TellJailed(Address miner, string reason)
    {
        _registry.Tell(new UpdateStanding(miner) { Jailed = true });
        _jailBook?.Jail(miner, reason);
    }
}
