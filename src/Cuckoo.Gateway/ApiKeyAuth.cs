using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Cuckoo.Cluster.Http;

namespace Cuckoo.Gateway;

/// <summary>
/// The gate of the app endpoints: <c>Authorization: Bearer &lt;key&gt;</c> checked against <see cref="ApiKeyStore"/>,
/// the app id left for the handler (<see cref="AppOf"/>), and any failure of the handler answered without internals.
/// </summary>
internal static class ApiKeyAuth
{
    private const string AppItem = "cuckoo.gateway.app";

    public static string AppOf(HttpContext http) => http.Items[AppItem] as string ?? throw new InvalidOperationException("the endpoint runs without the API key filter");

    public static EndpointFilterDelegate Problems(EndpointFilterFactoryContext _, EndpointFilterDelegate next) =>
        context => FilterAsync(context, next, openAi: false);

    public static EndpointFilterDelegate OpenAi(EndpointFilterFactoryContext _, EndpointFilterDelegate next) =>
        context => FilterAsync(context, next, openAi: true);

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, bool openAi)
    {
        var http = context.HttpContext;
        var keys = http.RequestServices.GetRequiredService<ApiKeyStore>();
        if (!HttpRequests.TryBearer(http.Request.Headers.Authorization, out var presented) || !keys.TryAuthenticate(presented, out var app))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            const string message = "A valid API key is needed: Authorization: Bearer <your app's key>.";
            return openAi
                ? GatewayProblems.OpenAiError(StatusCodes.Status401Unauthorized, message, "invalid_request_error", "invalid_api_key")
                : GatewayProblems.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", message, "invalid_api_key");
        }
        http.Items[AppItem] = app;
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception ex)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Cuckoo.Gateway")
                .LogError(ex, "Gateway request {Method} {Path} failed", http.Request.Method, http.Request.Path);
            if (http.Response.HasStarted)
            {
                // A stream under way cannot become an error response; cutting it tells the client.
                http.Abort();
                return Results.Empty;
            }
            const string detail = "The gateway failed to answer; its log says why.";
            return openAi
                ? GatewayProblems.OpenAiError(StatusCodes.Status500InternalServerError, detail, "server_error")
                : GatewayProblems.Problem(StatusCodes.Status500InternalServerError, "Internal error", detail);
        }
    }
}
