using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cuckoo.Coordinator.Admin;

/// <summary>
/// The admin listener's self-signed certificate. Clients pin it by <see cref="Thumbprint"/> (from the access file), so
/// no CA is involved and a fresh one per start is enough: the coordinator rewrites the access file each time.
/// </summary>
public static class AdminCertificate
{
    /// <summary>An ECDSA P-256 server certificate for 127.0.0.1, ::1 and localhost.</summary>
    public static X509Certificate2 CreateSelfSigned(TimeSpan? validity = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cuckoo coordinator admin", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now + (validity ?? TimeSpan.FromDays(365)));
        // A PKCS#12 round trip gives a key that SslStream can use on every platform (Windows refuses ephemeral keys).
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Lowercase hex SHA-256 of the certificate's DER bytes: what the access file pins.</summary>
    public static string Thumbprint(X509Certificate certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));
}
