using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Coordinator.Admin;

/// <summary><c>GET /cluster/members</c>: the cluster as this node sees it.</summary>
/// <param name="Self">This node's Akka address.</param>
/// <param name="Leader">The leader's address; null while there is none (no convergence yet).</param>
public sealed record ClusterMembersView(string Self, string? Leader, IReadOnlyList<MemberView> Members, DateTimeOffset At);

/// <summary>One cluster member.</summary>
/// <param name="Address">Its Akka address, <c>akka.ssl.tcp://sys@host:port</c>.</param>
/// <param name="Uid">The incarnation: a restarted node at the same address has another.</param>
/// <param name="Status">Akka's member status: Joining, WeaklyUp, Up, Leaving, Exiting, Down.</param>
/// <param name="Reachable">False when this node's failure detector, or a node it heard from, marks it unreachable.</param>
/// <param name="UpSince">When this node saw it become Up; null when it was Up before this node started watching.</param>
/// <param name="Miner">The admitted miner on this node, if one is.</param>
public sealed record MemberView(
    string Address, long Uid, IReadOnlyList<string> Roles, string Status, bool Reachable, string AppVersion, DateTimeOffset? UpSince,
    double? UptimeSeconds, MemberMinerView? Miner);

/// <summary>The admitted miner behind a member.</summary>
/// <param name="Weight">Stake weight in wei.</param>
public sealed record MemberMinerView(Address Address, BigInteger Weight, IReadOnlyList<string> Models, string Provider, bool Jailed);

/// <summary>One membership or reachability event of <c>GET /cluster/events</c> (also its SSE event name).</summary>
/// <param name="Type">MemberJoined, MemberWeaklyUp, MemberUp, MemberLeft, MemberExited, MemberDowned, MemberRemoved, UnreachableMember or ReachableMember.</param>
/// <param name="PreviousStatus">MemberRemoved only: the status it had before.</param>
public sealed record ClusterEventView(string Type, string Address, long Uid, IReadOnlyList<string> Roles, string Status, string? PreviousStatus, DateTimeOffset At);

/// <summary>The answer (202) to a leave or down: what was asked of which member.</summary>
/// <param name="Action"><c>leave</c> or <c>down</c>.</param>
/// <param name="Status">The member's status when it was asked.</param>
public sealed record MemberActionView(string Address, long Uid, string Action, string Status);
