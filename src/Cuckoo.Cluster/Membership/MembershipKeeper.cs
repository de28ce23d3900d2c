using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Cuckoo.Chain;
using Address = Cuckoo.Chain.Address;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Cluster.Transport;

namespace Cuckoo.Cluster.Membership;

/// <summary>What a <see cref="MembershipKeeper"/> needs; <see cref="Authority"/> and <see cref="Eligibility"/> only on coordinators.</summary>
public sealed record MembershipKeeperSettings
{
    /// <summary>The cluster's coordinator address: every admission and revocation must be signed by it.</summary>
    public required Address Coordinator { get; init; }

    /// <summary>This node's live allow-list, read by TLS at every handshake.</summary>
    public required PeerAllowList AllowList { get; init; }

    /// <summary>This node's own certificate thumbprint, to notice its own revocation.</summary>
    public required string OwnThumbprint { get; init; }

    /// <summary>The coordinator key, on coordinator nodes: signs admissions and revocations.</summary>
    public EthKey? Authority { get; init; }

    /// <summary>The chain's view of a miner, on coordinator nodes.</summary>
    public IMinerEligibility? Eligibility { get; init; }

    /// <summary>How often a coordinator re-reads every admitted miner's standing, beside the chain events that trigger it (default 5 min).</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a miner member may be seen without an admission before coordinators down it (default 5 s): an admission made
    /// at another coordinator node reaches this one by pub-sub, possibly after the miner's join.
    /// </summary>
    public TimeSpan JoinGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called on the keeper's thread with the allowed admissions after every change (admin views, metrics).</summary>
    public Action<IReadOnlyList<MinerAdmitted>>? Changed { get; init; }
}

/// <summary>
/// Keeps this node's allow-list in step with the cluster's signed admissions and revocations (<see cref="AdmissionLedger"/>),
/// on every node. On coordinator nodes it is also the authority: it signs admissions made by enrolment, re-checks admitted
/// miners' standing when chain events name them, revokes those no longer eligible, and downs any miner member that has no
/// admission for its address.
/// </summary>
public sealed class MembershipKeeper : ReceiveActor, IWithTimers
{
    private readonly MembershipKeeperSettings _settings;
    private readonly AdmissionLedger _ledger;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly IActorRef _mediator = DistributedPubSub.Get(Context.System).Mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<Address> _checking = [];
    private long _lastStampMs;
    private bool _snapshotReceived;

    public MembershipKeeper(MembershipKeeperSettings settings)
    {
        _settings = settings;
        _ledger = new AdmissionLedger(settings.Coordinator);

        Receive<MinerAdmitted>(a => { if (_ledger.Merge(a)) Apply(); });
        Receive<MinerRevoked>(r => { if (_ledger.Merge(r)) Revoked(r); });
        Receive<AllowListSnapshot>(s =>
        {
            _snapshotReceived = true;
            if (_ledger.Merge(s) > 0) AppliedSnapshot();
        });
        Receive<SubscribeAck>(_ => { });
        Receive<GetAdmissions>(_ => Sender.Tell(new Admissions([.. _ledger.Allowed], [.. _ledger.Revocations])));
        Receive<RequestSnapshot>(_ =>
        {
            // Only another coordinator node has something this node may lack.
            if (_snapshotReceived || !_cluster.State.Members.Any(m => m.HasRole("coordinator") && m.Address != _cluster.SelfAddress))
            {
                return;
            }
            _mediator.Tell(new SendToAll(MembershipPaths.KeeperPath, new AllowListRequested(_cluster.SelfAddress.ToString()), excludeSelf: true));
            // Sent right after this node is up, the request usually races the pub-sub registry's gossip and reaches no
            // coordinator: ask again until a snapshot comes.
            Timers.StartSingleTimer("snapshot-retry", RequestSnapshot.Instance, TimeSpan.FromSeconds(3));
        });
        Receive<ClusterEvent.MemberUp>(up => OnMember(up.Member));
        Receive<ClusterEvent.MemberJoined>(joined => OnMember(joined.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(weakly => OnMember(weakly.Member));
        Receive<ClusterEvent.MemberRemoved>(removed => Apply(removed.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        if (settings.Authority is not null)
        {
            AuthorityBehaviour(settings.Authority);
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(MembershipKeeperSettings settings) => Akka.Actor.Props.Create(() => new MembershipKeeper(settings));

    protected override void PreStart()
    {
        _mediator.Tell(new Subscribe(MembershipPaths.Topic, Self));
        if (_settings.Authority is not null)
        {
            // Only coordinators answer snapshot requests: a Send to this path never reaches a miner.
            _mediator.Tell(new Put(Self));
            Timers.StartPeriodicTimer("recheck", RecheckAll.Instance, _settings.RecheckInterval);
        }
        _cluster.Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        // Ask the coordinators for what was admitted before this node came, once it is a member (and until one answers).
        // The callback runs outside this actor, where Self would be another actor's: capture it here.
        var self = Self;
        _cluster.RegisterOnMemberUp(() => self.Tell(RequestSnapshot.Instance));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void AuthorityBehaviour(EthKey authority)
    {
        Receive<AllowListRequested>(_ => Sender.Tell(_ledger.Snapshot()));
        Receive<AdmitMiner>(admit =>
        {
            var signed = AdmissionLedger.Sign(authority, admit.Admission with { AdmittedAtMs = Stamp(), Signature = "" });
            _ledger.Merge(signed);
            Apply();
            _mediator.Tell(new Publish(MembershipPaths.Topic, signed));
            _log.Info("Admitted miner {0} (certificate {1}, node {2})", signed.Miner, Short(signed.Thumbprint), signed.NodeAddress);
            Sender.Tell(new MinerAdmissionApplied(signed.Thumbprint));
        });
        Receive<RevokeMiner>(revoke =>
        {
            foreach (var admission in _ledger.AllowedFor(revoke.Miner).ToList())
            {
                var signed = AdmissionLedger.Sign(authority, new MinerRevoked(admission.Miner, admission.Thumbprint, revoke.Reason, Stamp(), ""));
                _ledger.Merge(signed);
                Revoked(signed);
                _mediator.Tell(new Publish(MembershipPaths.Topic, signed));
            }
        });
        Receive<RecheckMiner>(recheck => Recheck(recheck.Miner));
        Receive<RecheckAll>(_ =>
        {
            foreach (var miner in _ledger.Allowed.Select(a => a.MinerAddress).Distinct())
            {
                Recheck(miner);
            }
        });
        Receive<StandingChecked>(checkedStanding =>
        {
            _checking.Remove(checkedStanding.Miner);
            if (!checkedStanding.Eligible)
            {
                _log.Warning("Miner {0} is no longer eligible ({1}): revoking its admission", checkedStanding.Miner, checkedStanding.Detail);
                Self.Tell(new RevokeMiner(checkedStanding.Miner, checkedStanding.Detail));
            }
        });
        Receive<EnforceMember>(enforce =>
        {
            var member = _cluster.State.Members.FirstOrDefault(m => m.Address == enforce.Address);
            if (member is not null && member.HasRole("miner") && _ledger.AllowedAt(HostPort(member.Address)) is null)
            {
                _log.Warning("Member {0} has the miner role but no admission for its address: downing it", member.Address);
                _cluster.Down(member.Address);
            }
        });
    }

    private void Recheck(Address miner)
    {
        if (_settings.Eligibility is not { } eligibility || !_ledger.AllowedFor(miner).Any() || !_checking.Add(miner))
        {
            return;
        }
        eligibility.CheckAsync(miner, CancellationToken.None).PipeTo(
            Self,
            success: standing => new StandingChecked(miner, standing.Eligible, standing.Detail),
            // The chain being unreachable is not the miner's fault: keep it, the next event or recheck tries again.
            failure: e => new StandingChecked(miner, true, e.Message));
    }

    private void OnMember(Member member)
    {
        if (_settings.Authority is not null && member.HasRole("miner") && _ledger.AllowedAt(HostPort(member.Address)) is null)
        {
            Timers.StartSingleTimer("enforce-" + member.Address, new EnforceMember(member.Address), _settings.JoinGrace);
        }
    }

    private void Revoked(MinerRevoked revocation)
    {
        Apply();
        _log.Warning("Revoked miner {0} (certificate {1}): {2}", revocation.Miner, Short(revocation.Thumbprint), revocation.Reason);
        if (revocation.Thumbprint == _settings.OwnThumbprint)
        {
            Context.System.EventStream.Publish(new SelfRevoked(revocation.Reason));
        }
        if (_settings.Authority is null)
        {
            return;
        }
        // The certificate can no longer open a connection; the member it already is goes too.
        var admission = _ledger.Snapshot().Admitted.FirstOrDefault(a => a.Thumbprint == revocation.Thumbprint);
        var member = admission is null ? null : _cluster.State.Members.FirstOrDefault(m => HostPort(m.Address) == admission.NodeAddress);
        if (member is not null && member.Status is not (MemberStatus.Down or MemberStatus.Removed))
        {
            _cluster.Down(member.Address);
        }
    }

    private void AppliedSnapshot()
    {
        Apply();
        foreach (var r in _ledger.Revocations.Where(r => r.Thumbprint == _settings.OwnThumbprint && !_ledger.IsAllowed(r.Thumbprint)))
        {
            Context.System.EventStream.Publish(new SelfRevoked(r.Reason));
        }
    }

    private void Apply(Akka.Actor.Address? removed = null)
    {
        var allowed = _ledger.Allowed.ToList();
        // A revoked miner's certificate stays on the allow-list while its member is still in the cluster (being downed):
        // Akka.Remote shuts down a node whose outbound TLS check fails (exit code 79), and a gossip or heartbeat to a
        // member on its way out would dial it. Once the member is removed nobody dials it, and the certificate goes.
        // The event may come before the read view drops the member, so the removed one is left out by name.
        var members = _cluster.State.Members.Where(m => m.Status != MemberStatus.Removed && m.Address != removed).Select(m => HostPort(m.Address)).ToHashSet();
        var lingering = _ledger.Snapshot().Admitted.Where(a => !_ledger.IsAllowed(a.Thumbprint) && members.Contains(a.NodeAddress));
        _settings.AllowList.ReplaceAdmitted(allowed.Concat(lingering).Select(a => new KeyValuePair<string, string>(a.Thumbprint, a.Miner)));
        _settings.Changed?.Invoke(allowed);
    }

    private long Stamp()
    {
        // Strictly increasing per node, so that a revocation right after an admission (same millisecond) still wins.
        _lastStampMs = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _lastStampMs + 1);
        return _lastStampMs;
    }

    /// <summary>How an admission names a member: the host and port its node listens on (signed before the system name is known).</summary>
    public static string HostPort(Akka.Actor.Address address) => $"{address.Host}:{address.Port}";

    private static string Short(string thumbprint) => thumbprint.Length > 12 ? thumbprint[..12] : thumbprint;
}
