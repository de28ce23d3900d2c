using Akka.Cluster;
using ChainAddress = Cuckoo.Chain.Address;
using Microsoft.AspNetCore.Http;

namespace Cuckoo.Coordinator.Admin;

/// <summary>Finds the member an operator names: its Akka address, its host:port, or the admitted miner address on it.</summary>
internal static class AdminMembers
{
    /// <summary>The one member <paramref name="text"/> names, or the problem (404 none, 409 several) to answer.</summary>
    public static (Member? Member, IResult? Problem) Resolve(IReadOnlyCollection<Member> members, IReadOnlyList<AdmittedMinerView> miners, string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return (null, AdminAuth.Problem(StatusCodes.Status400BadRequest, "Bad member", "name a member by its Akka address, host:port or miner address"));
        }
        List<Member> matches;
        string what;
        if (ChainAddress.TryParse(text, out var miner))
        {
            var nodes = miners.Where(m => m.Miner == miner).Select(m => m.NodeAddress).ToList();
            if (nodes.Count == 0)
            {
                return (null, NotFound($"no admitted miner {miner}"));
            }
            matches = [.. members.Where(m => nodes.Any(n => SameNode(n, m.Address)))];
            what = $"miner {miner}";
            if (matches.Count == 0)
            {
                return (null, NotFound($"miner {miner} is admitted but its node is not a cluster member"));
            }
        }
        else if (text.Contains("://", StringComparison.Ordinal))
        {
            matches = [.. members.Where(m => SameNode(text, m.Address))];
            what = text;
        }
        else
        {
            matches = [.. members.Where(m => HostPort(m.Address).Any(hp => string.Equals(hp, text, StringComparison.OrdinalIgnoreCase)))];
            what = text;
        }
        return matches.Count switch
        {
            0 => (null, NotFound($"no cluster member {what}")),
            1 => (matches[0], null),
            _ => (null, AdminAuth.Problem(StatusCodes.Status409Conflict, "Ambiguous member",
                $"{what} names {matches.Count} members ({string.Join(", ", matches.Select(m => $"{m.Address} uid {m.UniqueAddress.Uid}"))}); name one by its Akka address")),
        };
    }

    /// <summary>Whether <paramref name="text"/> is <paramref name="address"/> written as Akka writes it (a trailing slash allowed).</summary>
    /// <summary>An admission names its node by <c>host:port</c> (signed before the system name is known); an operator may give the whole address.</summary>
    public static bool SameNode(string? text, Akka.Actor.Address address) =>
        text is not null && (text.Contains("://", StringComparison.Ordinal)
            ? string.Equals(text.Trim().TrimEnd('/'), address.ToString(), StringComparison.OrdinalIgnoreCase)
            : HostPort(address).Any(hp => string.Equals(hp, text.Trim(), StringComparison.OrdinalIgnoreCase)));

    private static IEnumerable<string> HostPort(Akka.Actor.Address address)
    {
        yield return $"{address.Host}:{address.Port}";
        if (address.Host?.Contains(':', StringComparison.Ordinal) == true)
        {
            yield return $"[{address.Host}]:{address.Port}";
        }
    }

    private static IResult NotFound(string detail) => AdminAuth.Problem(StatusCodes.Status404NotFound, "No such member", detail);
}
