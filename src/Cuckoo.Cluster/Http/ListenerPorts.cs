using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cuckoo.Cluster.Http;

/// <summary>
/// Keeps each endpoint group on its own listener (public enrolment, loopback admin, apps' gateway): an endpoint marked
/// with <see cref="OnListener{TBuilder}"/> answers 404 on any other local port. Host-header matching (RequireHost) is
/// not enough for that, since the client writes the Host header.
/// </summary>
public static class ListenerPorts
{
    public static TBuilder OnListener<TBuilder>(this TBuilder builder, int port) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Port 0 (a test's ephemeral listener) is only known once bound: such a group is left unguarded.
        return port == 0 ? builder : builder.WithMetadata(new ListenerPort(port));
    }

    /// <summary>The middleware that enforces it; after routing (the minimal host routes first), before the endpoints.</summary>
    public static IApplicationBuilder UseListenerPorts(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ListenerPort>() is { } wanted && wanted.Port != context.Connection.LocalPort)
            {
                await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                    detail: "No such endpoint on this listener.").ExecuteAsync(context);
                return;
            }
            await next(context);
        });
    }

    private sealed record ListenerPort(int Port);
}
