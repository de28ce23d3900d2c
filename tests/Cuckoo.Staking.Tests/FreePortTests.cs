using System.Diagnostics;
using Cuckoo.Staking.Devnet;
using Xunit;

namespace Cuckoo.Staking.Tests;

/// <summary>Ports handed to tests are reserved across processes, so that two test assemblies never start nodes on one port.</summary>
public sealed class FreePortTests
{
    // Above the range FreePort picks from, so that no test running at the same time reserves these.
    private static int Unused() => Random.Shared.Next(40_000, 60_000);

    private static string FileOf(int port) => Path.Combine(Path.GetTempPath(), "cuckoo-ports", port.ToString());

    [Fact]
    public void A_free_port_is_reserved_for_this_process_and_stays_ours()
    {
        var port = Unused();
        File.Delete(FileOf(port));
        Assert.False(HardhatNode.ReservedElsewhere(port));
        Assert.Equal(Environment.ProcessId.ToString(), File.ReadAllText(FileOf(port)));
        Assert.False(HardhatNode.ReservedElsewhere(port));
    }

    [Fact]
    public void A_port_reserved_by_a_live_process_is_not_ours()
    {
        var port = Unused();
        Directory.CreateDirectory(Path.GetDirectoryName(FileOf(port))!);
        using var other = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            File.WriteAllText(FileOf(port), other.Id.ToString());
            Assert.True(HardhatNode.ReservedElsewhere(port));
            Assert.Equal(other.Id.ToString(), File.ReadAllText(FileOf(port)));
        }
        finally
        {
            other.Kill();
            File.Delete(FileOf(port));
        }
    }

    [Fact]
    public void A_reservation_of_a_process_that_ended_is_taken_over()
    {
        var port = Unused();
        Directory.CreateDirectory(Path.GetDirectoryName(FileOf(port))!);
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        ended.WaitForExit();
        File.WriteAllText(FileOf(port), ended.Id.ToString());
        Assert.False(HardhatNode.ReservedElsewhere(port));
        Assert.Equal(Environment.ProcessId.ToString(), File.ReadAllText(FileOf(port)));
        File.Delete(FileOf(port));
    }
}
