using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cuckoo.Gateway;

namespace Cuckoo.EndToEnd.Tests;

/// <summary>An app's view of a coordinator's gateway: submit, follow, fetch; plain HttpClient, as an app would write it.</summary>
public sealed class GatewayClient(Uri gateway, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };

    public Uri Gateway { get; } = gateway;

    public string ApiKey { get; } = apiKey;

    /// <summary>A key for app "e2e" in the coordinator's key file, minted once per data folder (the key is kept beside it for restarts).</summary>
    public static string EnsureKey(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var kept = Path.Combine(dataDirectory, "e2e-api-key");
        if (File.Exists(kept))
        {
            return File.ReadAllText(kept).Trim();
        }
        var (key, entry) = ApiKeyStore.Mint("e2e");
        File.WriteAllText(Path.Combine(dataDirectory, "api-keys.json"), JsonSerializer.Serialize(new[] { new { app = entry.App, sha256 = entry.Sha256 } }));
        File.WriteAllText(kept, key);
        return key;
    }

    /// <param name="expectContinue">Sends the body only after the server's 100 Continue, so that a refusal before it (413) is read rather than cut off.</param>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string? key = null, bool expectContinue = false, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.ExpectContinue = expectContinue;
        if ((key ?? ApiKey) is { Length: > 0 } k)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", k);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await _http.SendAsync(request, cancellationToken);
    }

    /// <returns>The status code and the body (a task view on 202).</returns>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SubmitAsync(string id, string prompt, int size = 64, string? extra = null)
    {
        var json = $$"""{"id": {{JsonSerializer.Serialize(id)}}, "model": "cuckoo-cppn", "inputs": {"prompt": {{JsonSerializer.Serialize(prompt)}}}, "parameters": {"width": {{size}}, "height": {{size}}}{{extra}}}""";
        var response = await SendAsync(HttpMethod.Post, "/v1/tasks", json);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public async Task<JsonElement> StatusAsync(string id)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/v1/tasks/{id}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>Polls the task until it is completed or failed; the gateway's status is the condition's only source.</summary>
    public async Task<JsonElement> WaitFinalAsync(string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        string? error = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await StatusAsync(id);
                error = null;
                if (last.GetProperty("status").GetString() is "completed" or "failed")
                {
                    return last;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // The coordinator may be restarting: the condition is asked again until the deadline.
                error = e.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        throw new Xunit.Sdk.XunitException($"task {id} did not finish within {timeout}; last status {last}{(error is null ? "" : $", last error {error}")}");
    }

    public async Task<byte[]> ResultAsync(string id)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/v1/tasks/{id}/result");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Every server-sent event of the task's stream, (event, data), until the stream ends.</summary>
    public async Task<IReadOnlyList<(string Event, JsonElement Data)>> EventsAsync(string id, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<(string, JsonElement)>();
        string? name = null;
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
            {
                events.Add((name, JsonDocument.Parse(line[6..]).RootElement.Clone()));
            }
        }
        return events;
    }

    /// <summary>Waits until the gateway answers /readyz and lists <paramref name="miners"/> eligible miners for the model.</summary>
    /// <param name="among">Count only these miners (null: any).</param>
    public async Task WaitForMinersAsync(int miners, TimeSpan timeout, string model = "cuckoo-cppn", IReadOnlyCollection<Cuckoo.Chain.Address>? among = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await SendAsync(HttpMethod.Get, $"/v1/miners?model={model}");
                last = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    using var doc = JsonDocument.Parse(last);
                    if (doc.RootElement.GetProperty("data").EnumerateArray().Count(m => m.GetProperty("eligible").GetBoolean()
                        && (among is null || among.Contains(Cuckoo.Chain.Address.Parse(m.GetProperty("address").GetString()!)))) >= miners)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                last = e.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        throw new Xunit.Sdk.XunitException($"fewer than {miners} eligible miners for {model} within {timeout}; last answer: {last}");
    }

    public void Dispose() => _http.Dispose();
}
