using Cuckoo.Gateway.Images;
using Cuckoo.Gateway.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cuckoo.Gateway;

/// <summary>
/// The apps' HTTP API. The host registers <see cref="GatewayScheduler"/>, <see cref="ApiKeyStore"/> and the
/// <see cref="Cuckoo.Inference.Catalog.ModelCatalog"/> as singletons, calls <see cref="AddGateway"/>, then <see cref="MapGateway"/>.
/// </summary>
public static class GatewayEndpoints
{
    public static IServiceCollection AddGateway(this IServiceCollection services, GatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(options ?? new GatewayOptions());
        services.AddOpenApi();
        return services;
    }

    /// <summary>Tasks, images, models, miners, trust (evidence, jail, rewards), health, and the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapTasks();
        endpoints.MapImages();
        endpoints.MapCatalog();
        endpoints.MapMiners();
        endpoints.MapTrust();
        endpoints.MapHealth();
        endpoints.MapOpenApi();
        return endpoints;
    }
}
