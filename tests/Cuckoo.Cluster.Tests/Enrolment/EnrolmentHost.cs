using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Cluster.Tests.Enrolment;

/// <summary>A real Kestrel HTTPS server on 127.0.0.1 (a port the OS picks) with a self-signed certificate, serving the enrolment endpoints.</summary>
public sealed class EnrolmentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EnrolmentHost(WebApplication app, EnrolmentService service, Uri url) => (_app, Service, Url) = (app, service, url);

    public EnrolmentService Service { get; }

    /// <summary>The coordinator's base URL, as it would be registered on chain.</summary>
    public Uri Url { get; }

    public static async Task<EnrolmentHost> StartAsync(EnrolmentService service)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(service);
        var certificate = SelfSigned();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.MapEnrolment();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EnrolmentHost(app, service, new Uri(address));
    }

    /// <summary>An HTTP client for raw requests to the enrolment endpoints, accepting the self-signed certificate.</summary>
    public HttpClient RawClient() => new(EnrolmentTypedData.Handler()) { BaseAddress = new Uri(Url, EnrolmentEndpoints.DefaultPrefix + "/") };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cuckoo-coordinator", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }
}

/// <summary>Remembers what it was told to admit.</summary>
public sealed class RecordingSink : IAdmissionSink
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Admission> _admitted = new();

    public IReadOnlyList<Admission> Admitted => [.. _admitted];

    public Task AdmitAsync(Admission admission, CancellationToken cancellationToken)
    {
        _admitted.Enqueue(admission);
        return Task.CompletedTask;
    }
}

/// <summary>Counts the eligibility checks, i.e. the chain reads an enrolment caused.</summary>
public sealed class CountingEligibility(IMinerEligibility inner) : IMinerEligibility
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<MinerStanding> CheckAsync(Address miner, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.CheckAsync(miner, cancellationToken);
    }
}

/// <summary>Rewrites response bodies on their way to the client (a man in the middle), and keeps the request bodies it saw.</summary>
public sealed class InterceptingHandler(Func<string, string>? rewriteResponse = null) : DelegatingHandler(EnrolmentTypedData.Handler())
{
    public List<string> RequestBodies { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            RequestBodies.Add(await request.Content.ReadAsStringAsync(cancellationToken));
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (rewriteResponse is not null && response.IsSuccessStatusCode && request.RequestUri!.AbsolutePath.EndsWith("/enrolment", StringComparison.Ordinal))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var type = response.Content.Headers.ContentType;
            response.Content = new StringContent(rewriteResponse(body));
            response.Content.Headers.ContentType = type;
        }
        return response;
    }
}
