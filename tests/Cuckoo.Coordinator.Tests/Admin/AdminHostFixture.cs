using System.Numerics;
using Cuckoo.Coordinator.Admin;
using Xunit;
using ChainAddress = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Tests.Admin;

/// <summary>One Up coordinator node with its admin endpoints, shared by the tests that do not change the cluster.</summary>
public sealed class AdminHostFixture : IAsyncLifetime
{
    internal AdminHost Host { get; private set; } = null!;

    /// <summary>Admitted but not in the cluster: its node address names nobody.</summary>
    internal static readonly AdmittedMinerView Absent = new(
        ChainAddress.Parse("0x00000000000000000000000000000000000000a1"), new string('a', 64), "akka.tcp://cuckoo-admin-test@127.0.0.1:1", ["resnet50"], 4, "cuda", "0.9.0",
        BigInteger.Parse("25000000000000000000000"), DateTimeOffset.Parse("2025-01-02T03:04:05Z"), Jailed: true, JailReason: "missed heartbeats");

    public async Task InitializeAsync()
    {
        Host = await AdminHost.StartAsync();
        Host.Miners.Admitted = [Absent];
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition("admin-host")]
public sealed class AdminHostCollection : ICollectionFixture<AdminHostFixture>;
