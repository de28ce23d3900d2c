using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Cuckoo.Cluster.Transport;
using Xunit;

namespace Cuckoo.Cluster.Tests.Transport;

/// <summary>
/// Plain SslStream clients against a node's Akka port: shows that the server asks for a client certificate, refuses a
/// client without one, and runs our validator on the one it gets (DotNetty 0.7.6 under Akka.Remote 1.5.74).
/// </summary>
/// <remarks>
/// On Linux the server's SslStream judges the client's certificate after OpenSSL has finished the handshake, so the
/// client's AuthenticateAsClient succeeds and it learns of the refusal when the server closes the connection; no
/// application data is read before the judgement (SslStream's authentication has not completed until then).
/// </remarks>
public sealed class RawHandshakeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        await using var node = TlsNode.Start("coordinator");
        await using var connection = await Connection.OpenAsync(node, clientCertificate: null);

        Assert.True(await connection.ClosedByServerAsync(Wait), "The server kept a client that presented no certificate.");
    }

    [Fact]
    public async Task A_client_certificate_is_requested_and_checked_against_the_allow_list()
    {
        await using var node = TlsNode.Start("coordinator");
        using var stranger = NodeCertificate.CreateSelfSigned("stranger");
        await using var connection = await Connection.OpenAsync(node, stranger);

        Assert.True(await connection.ClosedByServerAsync(Wait), "The server kept a client whose certificate is not admitted.");
        Assert.Equal(1, node.Peers.Refusals);
    }

    [Fact]
    public async Task An_admitted_client_certificate_is_kept()
    {
        await using var node = TlsNode.Start("coordinator");
        using var member = NodeCertificate.CreateSelfSigned("member");
        node.Peers.Allow(NodeCertificate.ThumbprintOf(member), "member");
        await using var connection = await Connection.OpenAsync(node, member);

        // The server now waits for Akka's association handshake; a refused connection closes in milliseconds.
        Assert.False(await connection.ClosedByServerAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(node.Thumbprint, connection.ServerThumbprint);
        Assert.Equal(0, node.Peers.Refusals);
    }

    private sealed class Connection(TcpClient client, SslStream? tls, string? serverThumbprint) : IAsyncDisposable
    {
        public string? ServerThumbprint { get; } = serverThumbprint;

        public static async Task<Connection> OpenAsync(TlsNode node, X509Certificate2? clientCertificate)
        {
            var client = new TcpClient();
            using var timeout = new CancellationTokenSource(Wait);
            await client.ConnectAsync("127.0.0.1", node.Address.Port!.Value, timeout.Token);
            var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "127.0.0.1",
                    ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                    // This client takes any server: the node under test is the one whose checks are shown.
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                }, timeout.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                await tls.DisposeAsync();
                return new Connection(client, null, null);
            }

            return new Connection(client, tls, NodeCertificate.ThumbprintOf((X509Certificate2)tls.RemoteCertificate!));
        }

        /// <summary>Whether the server ended the connection (during or after the handshake) within <paramref name="wait"/>.</summary>
        public async Task<bool> ClosedByServerAsync(TimeSpan wait)
        {
            if (tls is null)
            {
                return true;
            }

            using var deadline = new CancellationTokenSource(wait);
            try
            {
                return await tls.ReadAsync(new byte[1], deadline.Token) == 0;
            }
            catch (Exception e) when (e is IOException or AuthenticationException)
            {
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }

            client.Dispose();
        }
    }
}
