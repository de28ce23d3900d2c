using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Cuckoo.Cluster.Transport;

namespace Cuckoo.Cluster.Benchmarks;

/// <summary>
/// The baseline: SslStream on 127.0.0.1 with the same mutual TLS (TLS 1.2, as DotNetty offers, ECDSA P-256 certificates,
/// pinned thumbprints), one connection per pair, length-prefixed frames of the wire message's size, the same window.
/// Batched, both ends answer each read's complete frames with one write, as a tuned hand-written server would; unbatched,
/// every frame is its own write (its own TLS record and syscall), as a naive one would.
/// </summary>
public sealed class RawTlsEcho : IDisposable
{
    private readonly bool _batched;
    private const int BufferBytes = 64 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _serverCert = NodeCertificate.CreateSelfSigned("raw-server");
    private readonly X509Certificate2 _clientCert = NodeCertificate.CreateSelfSigned("raw-client");
    private readonly CancellationTokenSource _shutdown = new();

    public RawTlsEcho(bool batched)
    {
        _batched = batched;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts the pairs; they run until <paramref name="stop"/> is cancelled, then drain and complete the task.</summary>
    public async Task<Task> RunAsync(int pairs, int window, int frameBytes, Counters counters, CancellationToken stop)
    {
        var clients = new List<Task>();
        for (var pair = 0; pair < pairs; pair++)
        {
            var stream = await ConnectAsync();
            var index = pair;
            clients.Add(Task.Run(() => ClientAsync(stream, index, window, frameBytes, _batched, counters, stop)));
        }

        return Task.WhenAll(clients);
    }

    public void Dispose()
    {
        _shutdown.Cancel();
        _listener.Stop();
        _serverCert.Dispose();
        _clientCert.Dispose();
    }

    private RemoteCertificateValidationCallback Pinned(X509Certificate2 expected)
    {
        var thumbprint = NodeCertificate.ThumbprintOf(expected);
        return (_, cert, _, _) => cert is X509Certificate2 c && NodeCertificate.ThumbprintOf(c) == thumbprint;
    }

    private async Task<SslStream> ConnectAsync()
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificates = [_clientCert],
            EnabledSslProtocols = SslProtocols.Tls12,
            RemoteCertificateValidationCallback = Pinned(_serverCert),
        });
        return tls;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            TcpClient accepted;
            try
            {
                accepted = await _listener.AcceptTcpClientAsync(_shutdown.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            accepted.NoDelay = true;
            _ = Task.Run(() => EchoAsync(accepted));
        }
    }

    private async Task EchoAsync(TcpClient accepted)
    {
        using var connection = accepted;
        await using var tls = new SslStream(accepted.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _serverCert,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12,
            RemoteCertificateValidationCallback = Pinned(_clientCert),
        });
        var buffer = new byte[BufferBytes];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await tls.ReadAsync(buffer.AsMemory(filled), _shutdown.Token);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var complete = CompleteFrames(buffer.AsSpan(0, filled), out var frames);
                if (complete > 0)
                {
                    await WriteFramesAsync(tls, buffer.AsMemory(0, complete), frames, _batched, _shutdown.Token);
                    buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                    filled -= complete;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task ClientAsync(SslStream tls, int pair, int window, int frameBytes, bool batched, Counters counters, CancellationToken stop)
    {
        await using var _ = tls;
        var frame = new byte[4 + frameBytes];
        BinaryPrimitives.WriteInt32LittleEndian(frame, frameBytes);
        frame.AsSpan(4).Fill((byte)'x');
        var outgoing = new byte[frame.Length * window];
        for (var i = 0; i < window; i++)
        {
            frame.CopyTo(outgoing, i * frame.Length);
        }

        await WriteFramesAsync(tls, outgoing, window, batched, CancellationToken.None);
        var inFlight = window;
        var buffer = new byte[BufferBytes];
        var filled = 0;
        while (inFlight > 0)
        {
            var read = await tls.ReadAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                throw new IOException("The echo server closed the connection.");
            }

            filled += read;
            var complete = CompleteFrames(buffer.AsSpan(0, filled), out var frames);
            buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
            filled -= complete;
            if (frames == 0)
            {
                continue;
            }

            counters.Add(pair, frames);
            if (stop.IsCancellationRequested)
            {
                inFlight -= frames;
            }
            else
            {
                await WriteFramesAsync(tls, outgoing.AsMemory(0, frames * frame.Length), frames, batched, CancellationToken.None);
            }
        }
    }

    /// <summary>Writes <paramref name="frames"/> equal-sized frames at once, or one write each.</summary>
    private static async ValueTask WriteFramesAsync(SslStream tls, ReadOnlyMemory<byte> data, int frames, bool batched, CancellationToken cancel)
    {
        if (batched)
        {
            await tls.WriteAsync(data, cancel);
            return;
        }

        var size = data.Length / frames;
        for (var offset = 0; offset < data.Length; offset += size)
        {
            await tls.WriteAsync(data.Slice(offset, size), cancel);
        }
    }

    /// <summary>Bytes of the whole frames at the start of <paramref name="data"/>, and how many frames that is.</summary>
    private static int CompleteFrames(ReadOnlySpan<byte> data, out int frames)
    {
        var offset = 0;
        frames = 0;
        while (data.Length - offset >= 4)
        {
            var length = 4 + BinaryPrimitives.ReadInt32LittleEndian(data[offset..]);
            if (data.Length - offset < length)
            {
                break;
            }

            offset += length;
            frames++;
        }

        return offset;
    }
}
