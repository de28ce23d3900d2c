using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;

namespace Cuckoo.Cluster.Transport;

/// <summary>
/// Pinned mutual TLS for Akka.Remote's DotNetty transport: both ends present their <see cref="NodeCertificate"/> and
/// each accepts the other only if its SHA-256 thumbprint is in the <see cref="PeerAllowList"/>.
/// </summary>
/// <remarks>
/// Checked in Akka.Remote 1.5.74 (DotNettyTransport.SetServerPipeline / SetClientPipeline): with
/// require-mutual-authentication on, the server builds its SslStream with ServerTlsSettings(cert,
/// negotiateClientCertificate: true) and our CustomValidator, and refuses a client that sends no certificate before
/// the validator is called; the client presents its certificate through a selection callback and runs the same
/// CustomValidator on the server's certificate. So one delegate guards both directions and nothing needs wrapping.
/// DotNetty 0.7.6 offers TLS 1.0-1.2 only (ServerTlsSettings' default protocols); the OS policy decides which of them.
/// </remarks>
public static class ClusterTls
{
    /// <summary>
    /// Turns TLS on for a plain ActorSystem's transport; the certificate and validator come from <see cref="Setup"/>
    /// (without one the transport refuses to start, wanting a certificate file). Hosting writes the same with
    /// <see cref="Options"/>.
    /// </summary>
    public const string Hocon = """
        akka.remote.dot-netty.tcp {
          enable-ssl = on
          ssl {
            suppress-validation = off
            require-mutual-authentication = on
            validate-certificate-hostname = off
          }
        }
        """;

    /// <summary>For Akka.Remote.Hosting: <c>RemoteOptions.EnableSsl = true; RemoteOptions.Ssl = ClusterTls.Options(own, peers)</c>.</summary>
    public static SslOptions Options(X509Certificate2 own, PeerAllowList peers)
    {
        RequirePrivateKey(own);
        return new SslOptions
        {
            X509Certificate = own,
            SuppressValidation = false,
            RequireMutualAuthentication = true,
            // Peers are named by thumbprint; their certificates carry no DNS names to match against.
            ValidateCertificateHostname = false,
            CustomValidator = Validator(peers),
        };
    }

    /// <summary>The same settings as <see cref="Options"/>, as the Setup a plain ActorSystem takes (with <see cref="Hocon"/>).</summary>
    public static DotNettySslSetup Setup(X509Certificate2 own, PeerAllowList peers)
    {
        RequirePrivateKey(own);
        return new DotNettySslSetup(own, suppressValidation: false, requireMutualAuthentication: true,
            validateCertificateHostname: false, customValidator: Validator(peers));
    }

    /// <summary><paramref name="config"/> with <see cref="Hocon"/> under it, and the TLS <see cref="Setup"/>, ready for ActorSystem.Create.</summary>
    public static ActorSystemSetup SystemSetup(Config config, X509Certificate2 own, PeerAllowList peers, params Setup[] more) =>
        ActorSystemSetup.Create([BootstrapSetup.Create().WithConfig(config.WithFallback(ConfigurationFactory.ParseString(Hocon))),
            Setup(own, peers), .. more]);

    /// <summary>
    /// Accepts a peer iff its certificate's SHA-256 thumbprint is allowed and the certificate is within its validity
    /// dates; logs every refusal with the thumbprint. Chain errors are ignored on purpose: every node's certificate is
    /// self-signed, and the pinned thumbprint, not a CA, is what identifies it.
    /// </summary>
    public static CertificateValidationCallback Validator(PeerAllowList peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        return (certificate, _, remotePeer, errors, log) =>
        {
            if (certificate is null)
            {
                peers.RecordRefusal();
                log.Warning("Refused the TLS handshake with {0}: it presented no certificate ({1}).", remotePeer, errors);
                return false;
            }

            var thumbprint = NodeCertificate.ThumbprintOf(certificate);
            if (!peers.IsAllowed(thumbprint))
            {
                peers.RecordRefusal();
                log.Warning("Refused the TLS handshake with {0}: certificate {1} ({2}) is not admitted.",
                    remotePeer, thumbprint, certificate.Subject);
                return false;
            }

            var now = DateTime.UtcNow;
            if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
            {
                peers.RecordRefusal();
                log.Warning("Refused the TLS handshake with {0}: certificate {1} is valid from {2:u} to {3:u} only.",
                    remotePeer, thumbprint, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
                return false;
            }

            return true;
        };
    }

    private static void RequirePrivateKey(X509Certificate2 own)
    {
        ArgumentNullException.ThrowIfNull(own);
        if (!own.HasPrivateKey)
        {
            throw new ArgumentException($"The node certificate {NodeCertificate.ThumbprintOf(own)} has no private key, so it cannot open TLS connections.", nameof(own));
        }
    }
}
