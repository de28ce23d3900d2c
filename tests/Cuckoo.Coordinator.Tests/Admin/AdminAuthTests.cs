using System.Net;
using System.Text.Json;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Admin;

/// <summary>Every admin endpoint is closed without the token: 401 problem details, nothing about the server's insides.</summary>
[Collection("admin-host")]
public sealed class AdminAuthTests(AdminHostFixture fixture)
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "admin/cluster/members" },
        { "POST", "admin/cluster/members/127.0.0.1%3A1/leave" },
        { "POST", "admin/cluster/members/127.0.0.1%3A1/down" },
        { "GET", "admin/cluster/events" },
        { "GET", "admin/miners" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_token_every_endpoint_answers_401_problem_details(string method, string path)
    {
        using var client = fixture.Host.Client(token: null);
        await AssertUnauthorizedAsync(await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_wrong_token_gets_the_same_401(string method, string path)
    {
        using var client = fixture.Host.Client(token: fixture.Host.Token + "x");
        await AssertUnauthorizedAsync(await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)));
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    public async Task Other_schemes_and_empty_bearers_are_refused(string header)
    {
        using var client = fixture.Host.Client(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/cluster/members");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        await AssertUnauthorizedAsync(await client.SendAsync(request));
    }

    [Fact]
    public async Task The_right_token_opens_the_endpoint()
    {
        using var client = fixture.Host.Client(fixture.Host.Token);
        using var response = await client.GetAsync("admin/cluster/members");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_no_token_configured_even_an_empty_bearer_is_refused()
    {
        await using var host = await AdminHost.StartAsync(token: "", join: false);
        using var client = host.Client(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/miners");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ");
        await AssertUnauthorizedAsync(await client.SendAsync(request));
        using var anything = host.Client(token: "anything");
        await AssertUnauthorizedAsync(await anything.GetAsync("admin/cluster/members"));
    }

    internal static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            var body = await response.Content.ReadAsStringAsync();
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
            Assert.Equal("Unauthorized", problem.GetProperty("title").GetString());
            Assert.DoesNotContain("   at ", body);
            Assert.DoesNotContain("Exception", body);
        }
    }
}
