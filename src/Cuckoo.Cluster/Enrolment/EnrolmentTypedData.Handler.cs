using System.Net.Security;

namespace Cuckoo.Cluster.Enrolment;

public static partial class EnrolmentTypedData
{
    /// <summary>
    /// An <see cref="HttpMessageHandler"/> for <see cref="EnrolmentClient"/> that accepts whatever certificate the
    /// coordinator's HTTPS endpoint presents (coordinators use self-signed ones). Use it for enrolment only.
    /// </summary>
    /// <remarks>
    /// Safe because enrolment does not rest on the HTTPS certificate. The miner sends nothing secret: its address,
    /// thumbprint and models are public, and its signature answers a single-use nonce bound to this coordinator, chain and
    /// contract, so an eavesdropper can only forward it to the coordinator it was meant for. What the miner believes comes
    /// back signed by the coordinator key, which it checks against the coordinator address registered on chain; a
    /// man in the middle can withhold an answer, not forge one. TLS still hides the exchange from passive observers.
    /// </remarks>
    public static HttpMessageHandler Handler() => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
