using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Coordinator.Admin;

/// <summary>A miner the coordinator has admitted, as the admin endpoints show it.</summary>
/// <param name="Miner">The staked miner address that enrolled.</param>
/// <param name="Thumbprint">SHA-256 of the miner's TLS certificate, pinned for its cluster link.</param>
/// <param name="NodeAddress">Its Akka node, <c>akka.ssl.tcp://sys@host:port</c>; null until it has joined the cluster.</param>
/// <param name="Capacity">Requests it serves at once.</param>
/// <param name="Provider"><c>"cuda"</c> or <c>"cpu"</c>.</param>
/// <param name="Weight">Its stake weight in wei (self-stake plus votes), as the chain watcher last saw it.</param>
public sealed record AdmittedMinerView(
    Address Miner, string Thumbprint, string? NodeAddress, IReadOnlyList<string> Models, int Capacity, string Provider, string SoftwareVersion,
    BigInteger Weight, DateTimeOffset AdmittedAt, bool Jailed, string? JailReason);

/// <summary>The miners admitted now; the coordinator node provides it through DI.</summary>
public interface IAdmittedMiners
{
    IReadOnlyList<AdmittedMinerView> List();
}
