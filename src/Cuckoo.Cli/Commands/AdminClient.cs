using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Cuckoo.Coordinator.Admin;

namespace Cuckoo.Cli.Commands;

/// <summary>Which admin endpoint, with which token, trusting which certificate.</summary>
/// <param name="Thumbprint">The pinned SHA-256; null: the system's CA trust (or plain http on loopback).</param>
internal sealed record AdminTarget(Uri Url, string Token, string? Thumbprint);

/// <summary>
/// The coordinator's admin API over HTTPS, pinned to the certificate thumbprint of the access file: a certificate
/// that is not the pinned one is refused, whatever signed it. Every failure becomes the CLI's one sentence.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private string? _presented;

    public AdminClient(AdminTarget target)
    {
        Target = target;
        var handler = new SocketsHttpHandler
        {
            // The admin endpoint is local (or tunnelled): a system proxy would only be in the way, or see the token.
            UseProxy = false,
            ConnectTimeout = ConnectTimeout,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
        };
        var root = target.Url.AbsolutePath.Trim('/').Length == 0 ? new Uri(target.Url, "/admin/") : new Uri(target.Url.ToString().TrimEnd('/') + "/");
        _http = new HttpClient(handler) { BaseAddress = root, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", target.Token);
    }

    public AdminTarget Target { get; }

    public static AdminClient Open(CliContext context, AdminCliOptions options) => new(AdminAccessResolver.Resolve(context, options));

    public Task<ClusterMembersView> MembersAsync(CancellationToken cancellationToken) => ReadAsync<ClusterMembersView>(HttpMethod.Get, "cluster/members", cancellationToken);

    /// <param name="action"><c>leave</c> or <c>down</c>.</param>
    public Task<MemberActionView> ActAsync(string member, string action, CancellationToken cancellationToken) =>
        ReadAsync<MemberActionView>(HttpMethod.Post, $"cluster/members/{Uri.EscapeDataString(member)}/{action}", cancellationToken);

    public Task<List<AdmittedMinerView>> MinersAsync(CancellationToken cancellationToken) => ReadAsync<List<AdmittedMinerView>>(HttpMethod.Get, "miners", cancellationToken);

    /// <summary>The cluster's events as they happen (the current members first); ends only by cancellation or a failure.</summary>
    public async IAsyncEnumerable<ClusterEventView> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "cluster/events"), HttpCompletionOption.ResponseHeadersRead, null, cancellationToken);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in EventStream.ReadAsync(body, e => throw new CliException(ExitCodes.Chain, "stream-ended",
            $"the event stream from {Target.Url} broke off: {e.GetBaseException().Message.ReplaceLineEndings(" ")}", e), cancellationToken))
        {
            if (item.EventType == "overflow")
            {
                throw new CliException(ExitCodes.Failed, "stream-overflow", $"the coordinator cut the event stream because this client fell behind; run it again ({item.Data})");
            }
            yield return Deserialize<ClusterEventView>(item.Data);
        }
        throw new CliException(ExitCodes.Chain, "stream-ended", $"the admin endpoint {Target.Url} closed the event stream (the coordinator stopped?)");
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> ReadAsync<T>(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await SendAsync(new HttpRequestMessage(method, path), HttpCompletionOption.ResponseContentRead, timeout, cancellationToken);
        return Deserialize<T>(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationTokenSource? timeout, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (request)
        {
            try
            {
                response = await _http.SendAsync(request, completion, timeout?.Token ?? cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw Unreachable(ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Not Ctrl+C: the connect timeout or the request's.
                throw new CliException(ExitCodes.Chain, "admin-timeout",
                    $"the admin endpoint {Target.Url} did not answer in time ({ConnectTimeout.TotalSeconds:0} s to connect, {RequestTimeout.TotalSeconds:0} s to answer)", ex);
            }
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await RefusedAsync(response, cancellationToken);
            }
        }
        return response;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (Target.Thumbprint is not { } pinned)
        {
            return errors == SslPolicyErrors.None;
        }
        // Pinned: the self-signed certificate has no chain to check; its exact bytes are what is trusted.
        _presented = certificate is null ? null : AdminCertificate.Thumbprint(certificate);
        return _presented == pinned;
    }

    private CliException Unreachable(HttpRequestException ex)
    {
        if (Target.Thumbprint is { } pinned && _presented is { } presented && presented != pinned)
        {
            return new CliException(ExitCodes.Chain, "certificate-mismatch",
                $"the admin endpoint {Target.Url} presented a certificate with SHA-256 {presented}, not the pinned {pinned}, so it was refused (a restarted coordinator writes a new access file)", ex);
        }
        if (ex.InnerException is AuthenticationException)
        {
            return new CliException(ExitCodes.Chain, "untrusted-certificate",
                $"the admin endpoint {Target.Url} has a certificate this machine does not trust, and no thumbprint is pinned (the access file's, or --admin-thumbprint)", ex);
        }
        var why = (ex.InnerException?.Message ?? ex.Message).ReplaceLineEndings(" ").TrimEnd('.');
        return new CliException(ExitCodes.Chain, "admin-unreachable", $"the admin endpoint {Target.Url} is unreachable: {why} (is the coordinator running?)", ex);
    }

    private async Task<CliException> RefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? detail = null;
        try
        {
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not the coordinator's problem details: the status alone says enough.
        }
        var code = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException(ExitCodes.Key, "unauthorized",
                $"the admin endpoint {Target.Url} refused the token (401): use the coordinator's current access file or token (--admin-token-file, CUCKOO_ADMIN_TOKEN)"),
            HttpStatusCode.NotFound when detail is not null => new CliException(ExitCodes.Failed, "unknown-member", detail),
            HttpStatusCode.Conflict when detail is not null => new CliException(ExitCodes.Failed, "ambiguous-member", detail),
            HttpStatusCode.BadRequest => new CliException(ExitCodes.BadInput, "bad-input", detail ?? "the admin endpoint refused the request as malformed (400)"),
            _ => new CliException(ExitCodes.Failed, "admin-error",
                $"the admin endpoint {Target.Url} answered {code} {response.ReasonPhrase}{(detail is null ? "" : $": {detail}")}"
                + (code == 404 ? " (is the URL the admin endpoint's, prefix included?)" : "")),
        };
    }

    private T Deserialize<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, AdminJson.Options) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Failed, "admin-error", $"the admin endpoint {Target.Url} answered something this CLI cannot read ({ex.Message})", ex);
        }
    }
}

/// <summary>
/// Where the admin endpoint and its token come from: --admin and --admin-token-file, else CUCKOO_ADMIN_URL and
/// CUCKOO_ADMIN_TOKEN, else the access file the coordinator on this machine writes (data/coordinator/admin.json).
/// </summary>
internal static class AdminAccessResolver
{
    public static AdminTarget Resolve(CliContext context, AdminCliOptions options)
    {
        var url = Url(context.Parse.GetValue(options.Admin) ?? Environment.GetEnvironmentVariable("CUCKOO_ADMIN_URL"));
        var pin = Pin(context.Parse.GetValue(options.Thumbprint) ?? Environment.GetEnvironmentVariable("CUCKOO_ADMIN_THUMBPRINT"));
        AdminAccess? file = null;
        string? token = null;
        if (context.Parse.GetValue(options.TokenFile) is { } tokenFile)
        {
            (file, token) = ReadTokenFile(tokenFile);
        }
        token ??= NonEmpty(Environment.GetEnvironmentVariable("CUCKOO_ADMIN_TOKEN"));
        var defaultFile = AdminAccessFile.DefaultPath(KeyRing.DataDirectory());
        if (file is null && (url is null || token is null) && File.Exists(defaultFile))
        {
            file = ReadAccessFile(defaultFile);
            // Its token is for its own endpoint only: never hand the local coordinator's token to another URL.
            if (token is null && url is not null && !SameEndpoint(url, file.Url))
            {
                throw new CliException(ExitCodes.Key, "no-admin-token",
                    $"no admin token for {url}: {defaultFile} is for {file.Url}; pass --admin-token-file FILE or set CUCKOO_ADMIN_TOKEN");
            }
        }
        url ??= file?.Url ?? throw new CliException(ExitCodes.Key, "no-admin-access",
            $"no admin endpoint: pass --admin URL and --admin-token-file FILE, set CUCKOO_ADMIN_URL and CUCKOO_ADMIN_TOKEN, or run where the coordinator wrote {defaultFile}");
        token ??= file?.Token ?? throw new CliException(ExitCodes.Key, "no-admin-token", $"no admin token for {url}: pass --admin-token-file FILE or set CUCKOO_ADMIN_TOKEN");
        pin ??= file is not null && SameEndpoint(url, file.Url) ? file.Thumbprint : null;
        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            throw new CliException(ExitCodes.BadInput, "bad-input", $"refusing to send the admin token in clear to {url.Host}: use an https URL (or a tunnel to 127.0.0.1)");
        }
        return new AdminTarget(url, token, url.Scheme == Uri.UriSchemeHttps ? pin : null);
    }

    private static Uri? Url(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            ? url
            : throw new CliException(ExitCodes.BadInput, "bad-input", $"--admin '{text}' is not an http(s) URL");
    }

    private static string? Pin(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var pin = AdminAccessFile.NormalizeThumbprint(text.Trim());
        return pin.Length == 64 && pin.All(char.IsAsciiHexDigit)
            ? pin
            : throw new CliException(ExitCodes.BadInput, "bad-input", $"--admin-thumbprint '{text}' is not a SHA-256 (64 hex digits)");
    }

    /// <summary>An access file (JSON) gives its URL and pin too; any other file's first line is the token.</summary>
    private static (AdminAccess? File, string Token) ReadTokenFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Key, "no-admin-token", $"cannot read the admin token file {path}: {ex.Message}", ex);
        }
        if (text.TrimStart().StartsWith('{'))
        {
            var file = ReadAccessFile(path);
            return (file, file.Token);
        }
        var token = NonEmpty(text.Split('\n')[0].Trim());
        return (null, token ?? throw new CliException(ExitCodes.Key, "no-admin-token", $"the admin token file {path} is empty"));
    }

    private static AdminAccess ReadAccessFile(string path)
    {
        try
        {
            return AdminAccessFile.Read(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException(ExitCodes.Key, "bad-access-file", ex.Message.TrimEnd('.'), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Key, "no-admin-token", $"cannot read the admin access file {path}: {ex.Message}", ex);
        }
    }

    private static bool SameEndpoint(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
