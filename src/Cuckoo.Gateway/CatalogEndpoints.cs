using Cuckoo.Inference.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cuckoo.Gateway;

/// <summary>One model of <c>GET /v1/models</c>: OpenAI's list members (id, object, created, owned_by) plus what the model takes.</summary>
public sealed record ModelView(
    string Id,
    string Object,
    long Created,
    string OwnedBy,
    string Task,
    string Input,
    string? Description,
    ModelLimits Limits,
    ModelDefaults Defaults);

public sealed record ModelList(string Object, IReadOnlyList<ModelView> Data);

/// <summary><c>GET /v1/models</c>, shaped as OpenAI's model list so that its SDKs can list ours.</summary>
public static class CatalogEndpoints
{
    public static RouteGroupBuilder MapCatalog(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/models").AddEndpointFilterFactory(ApiKeyAuth.Problems).WithTags("models");
        group.MapGet("", (ModelCatalog catalog) => Results.Json(List(catalog), GatewayProblems.Json)).Produces<ModelList>();
        return group;
    }

    public static ModelList List(ModelCatalog catalog) => new("list", catalog.Models.Select(m => new ModelView(
        m.Id, "model", 0, "cuckoo",
        m.Task == ModelTask.TextToImage ? "text-to-image" : "text-detection",
        m.Task == ModelTask.TextToImage ? "prompt" : "image_base64",
        m.Description, m.Limits, m.Defaults)).ToList());
}
