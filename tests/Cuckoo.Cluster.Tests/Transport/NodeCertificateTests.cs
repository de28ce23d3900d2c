using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cuckoo.Cluster.Transport;
using Xunit;

namespace Cuckoo.Cluster.Tests.Transport;

public sealed class NodeCertificateTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cuckoo-cert-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Creates_an_ecdsa_p256_certificate_for_server_and_client_auth_in_a_new_folder()
    {
        var path = Path.Combine(_dir, "keys", "node.pfx");

        using var cert = NodeCertificate.LoadOrCreate(path, "coordinator-1");

        Assert.True(File.Exists(path));
        Assert.True(cert.HasPrivateKey);
        Assert.Equal("CN=coordinator-1", cert.Subject);
        using var key = cert.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        var usages = Assert.Single(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages;
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages.Cast<Oid>().Select(o => o.Value!).Order());
        var lifetime = cert.NotAfter - DateTime.Now;
        Assert.InRange(lifetime.TotalDays, 364, 366);
    }

    [Fact]
    public void Reloading_gives_the_same_thumbprint()
    {
        var path = Path.Combine(_dir, "node.pfx");
        using var first = NodeCertificate.LoadOrCreate(path, "miner-1");

        using var second = NodeCertificate.LoadOrCreate(path, "miner-1");

        Assert.Equal(NodeCertificate.ThumbprintOf(first), NodeCertificate.ThumbprintOf(second));
        Assert.True(second.HasPrivateKey);
    }

    [Fact]
    public void The_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // File modes are a Unix matter.
        }

        var path = Path.Combine(_dir, "node.pfx");

        using var cert = NodeCertificate.LoadOrCreate(path, "miner-1");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_loosened_file_mode_is_tightened_on_load()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // File modes are a Unix matter.
        }

        var path = Path.Combine(_dir, "node.pfx");
        NodeCertificate.LoadOrCreate(path, "miner-1").Dispose();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        NodeCertificate.LoadOrCreate(path, "miner-1").Dispose();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void The_thumbprint_is_the_lowercase_sha256_of_the_der()
    {
        using var cert = NodeCertificate.CreateSelfSigned("node");

        var thumbprint = NodeCertificate.ThumbprintOf(cert);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(cert.RawData)).ToLowerInvariant(), thumbprint);
        Assert.Matches("^[0-9a-f]{64}$", thumbprint);
    }

    [Fact]
    public void A_certificate_with_under_30_days_left_is_renewed()
    {
        var path = Path.Combine(_dir, "node.pfx");
        var now = DateTimeOffset.UtcNow;
        using var old = NodeCertificate.LoadOrCreate(path, "miner-1", now - TimeSpan.FromDays(340));

        using var renewed = NodeCertificate.LoadOrCreate(path, "miner-1", now);
        using var reloaded = NodeCertificate.LoadOrCreate(path, "miner-1", now);

        Assert.NotEqual(NodeCertificate.ThumbprintOf(old), NodeCertificate.ThumbprintOf(renewed));
        Assert.Equal(NodeCertificate.ThumbprintOf(renewed), NodeCertificate.ThumbprintOf(reloaded));
        Assert.True(renewed.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(364));
    }

    [Fact]
    public void A_certificate_with_over_30_days_left_is_kept()
    {
        var path = Path.Combine(_dir, "node.pfx");
        var now = DateTimeOffset.UtcNow;
        using var old = NodeCertificate.LoadOrCreate(path, "miner-1", now - TimeSpan.FromDays(300));

        using var kept = NodeCertificate.LoadOrCreate(path, "miner-1", now);

        Assert.Equal(NodeCertificate.ThumbprintOf(old), NodeCertificate.ThumbprintOf(kept));
    }

    [Fact]
    public void A_corrupt_file_is_reported_in_one_sentence_and_left_alone()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "node.pfx");
        File.WriteAllText(path, "not a certificate");

        var error = Assert.ThrowsAny<CryptographicException>(() => NodeCertificate.LoadOrCreate(path, "miner-1"));

        Assert.StartsWith($"The node certificate {path} could not be read (", error.Message);
        Assert.EndsWith("); move it away to have a new one created.", error.Message);
        Assert.Equal("not a certificate", File.ReadAllText(path));
    }
}
