using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Cuckoo.Coordinator.Admin;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>Reads a coordinator's cluster view through its admin endpoint (token and pinned certificate from its access file).</summary>
public sealed class AdminProbe : IDisposable
{
    private readonly HttpClient _http;

    public AdminProbe(string accessFile)
    {
        var access = AdminAccessFile.Read(accessFile);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)) == access.Thumbprint,
        };
        _http = new HttpClient(handler) { BaseAddress = access.Url, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access.Token);
    }

    public async Task<IReadOnlyList<Member>> MembersAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/admin/cluster/members"));
        return [.. doc.RootElement.GetProperty("members").EnumerateArray().Select(m => new Member(
            m.GetProperty("address").GetString()!,
            m.GetProperty("status").GetString()!,
            m.GetProperty("reachable").GetBoolean(),
            [.. m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)],
            m.TryGetProperty("miner", out var miner) && miner.ValueKind == JsonValueKind.Object ? miner.GetProperty("address").GetString() : null))];
    }

    /// <summary>Polls the member list until <paramref name="condition"/> holds, or fails with the last list seen.</summary>
    public async Task<IReadOnlyList<Member>> WaitForAsync(Func<IReadOnlyList<Member>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<Member> last = [];
        string? error = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await MembersAsync();
                error = null;
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or FileNotFoundException)
            {
                error = e.Message;
            }
            // The admin endpoint is the condition's only source: poll it a few times a second until the deadline.
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        throw new Xunit.Sdk.XunitException($"no {what} within {timeout}; last members: {string.Join("; ", last)}{(error is null ? "" : $"; last error: {error}")}");
    }

    public void Dispose() => _http.Dispose();

    public sealed record Member(string Address, string Status, bool Reachable, IReadOnlyList<string> Roles, string? Miner)
    {
        public override string ToString() => $"{Address} {Status}{(Reachable ? "" : " unreachable")} [{string.Join(',', Roles)}] {Miner}";
    }
}
