using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cuckoo.Cluster.Transport;

/// <summary>
/// The node's TLS identity: a self-signed ECDSA P-256 certificate kept in a PKCS#12 file readable by its owner only.
/// Peers know a node by the SHA-256 of this certificate (<see cref="ThumbprintOf"/>), never by its name or a CA.
/// </summary>
public static class NodeCertificate
{
    /// <summary>How long a new certificate is valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    /// <summary>A certificate with less than this left is replaced on load (and its new thumbprint must be admitted again).</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Loads the certificate at <paramref name="pfxPath"/>, or creates one there (CN=<paramref name="subjectName"/>,
    /// file mode 0600, directory created) when the file is missing or has less than <see cref="RenewBefore"/> left.
    /// </summary>
    /// <exception cref="CryptographicException">The file exists but is not a PKCS#12 certificate with its private key.</exception>
    public static X509Certificate2 LoadOrCreate(string pfxPath, string subjectName) =>
        LoadOrCreate(pfxPath, subjectName, DateTimeOffset.UtcNow);

    internal static X509Certificate2 LoadOrCreate(string pfxPath, string subjectName, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pfxPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectName);
        var path = Path.GetFullPath(pfxPath);
        if (File.Exists(path))
        {
            var existing = Load(path);
            if (existing.NotAfter.ToUniversalTime() - now.UtcDateTime >= RenewBefore)
            {
                TightenMode(path);
                return existing;
            }

            existing.Dispose();
        }

        var created = CreateSelfSigned(subjectName, now);
        Write(path, created.Export(X509ContentType.Pkcs12));
        return created;
    }

    /// <summary>A new self-signed identity in memory (the same kind <see cref="LoadOrCreate"/> writes), for tests and tools.</summary>
    public static X509Certificate2 CreateSelfSigned(string subjectName, DateTimeOffset? now = null, TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectName);
        var start = now ?? DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(subjectName);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth), new Oid(ClientAuth)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // Back-dated a little so that a peer whose clock is slightly behind does not see a certificate from the future.
        using var ephemeral = request.CreateSelfSigned(start.AddMinutes(-5), start + (validity ?? Validity));

        // Round-tripped through PKCS#12 so the key is a persisted one, as SslStream needs on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>Lowercase hex SHA-256 of the certificate's DER encoding (64 characters).</summary>
    public static string ThumbprintOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    private static X509Certificate2 Load(string path)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException(
                $"The node certificate {path} could not be read ({e.Message}); move it away to have a new one created.", e);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException($"The node certificate {path} has no private key; move it away to have a new one created.");
        }

        return certificate;
    }

    private static void Write(string path, byte[] pfx)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerOnly | UnixFileMode.UserExecute);
        }

        // Written beside the target and moved over it, so a crash never leaves half a key file behind, and created
        // 0600 so the key is never readable by others, not even between create and chmod.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(pfx);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void TightenMode(string path)
    {
        // A key file copied in by hand may be world-readable; the private key must not stay that way.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
