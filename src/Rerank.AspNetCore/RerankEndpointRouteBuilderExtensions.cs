using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rerank.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the rerank endpoints: Cohere v2 (<c>POST /v2/rerank</c>), Jina and vLLM (<c>POST /v1/rerank</c>) and Hugging Face TEI
/// (<c>POST /rerank</c>), each answering with the format's own response and error shapes.
/// </summary>
/// <remarks>
/// The request's <c>model</c> picks a reranker by name through <c>services.AddReranking()</c> (or a keyed <c>IReranker</c>);
/// a request naming none gets the default reranker. Limits come from <see cref="RerankServerOptions"/>
/// (<c>services.AddRerankServer()</c>). The rerankers belong to the container; the endpoints never dispose them.
/// Each method returns a builder so the caller can chain <c>RequireAuthorization</c>, <c>RequireRateLimiting</c> or
/// <c>WithTags</c>, as <c>MapHealthChecks</c> does.
/// </remarks>
public static class RerankEndpointRouteBuilderExtensions
{
    /// <summary>Maps all three formats at their usual paths.</summary>
    /// <param name="endpoints">The route builder (the <c>WebApplication</c> or a group).</param>
    /// <returns>A builder whose conventions apply to all three endpoints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    public static IEndpointConventionBuilder MapRerankEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return new RerankEndpointConventionBuilder([endpoints.MapCohereRerank(), endpoints.MapJinaRerank(), endpoints.MapTeiRerank()]);
    }

    /// <summary>Maps Cohere Rerank v2: <c>{model, query, documents, top_n?, max_tokens_per_doc?}</c> → <c>{id, results, meta}</c>.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route; default <c>/v2/rerank</c>.</param>
    /// <returns>The endpoint's builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    public static RouteHandlerBuilder MapCohereRerank(this IEndpointRouteBuilder endpoints, string pattern = "/v2/rerank") =>
        Map(endpoints, pattern, CohereWireFormat.Instance, "CohereRerank");

    /// <summary>Maps Jina AI's and vLLM's rerank: <c>{model, query, documents, top_n?, return_documents?}</c> → <c>{model, usage, results}</c>.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route; default <c>/v1/rerank</c>.</param>
    /// <returns>The endpoint's builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    public static RouteHandlerBuilder MapJinaRerank(this IEndpointRouteBuilder endpoints, string pattern = "/v1/rerank") =>
        Map(endpoints, pattern, JinaWireFormat.Instance, "JinaRerank");

    /// <summary>Maps Hugging Face TEI's rerank: <c>{query, texts, return_text?}</c> → <c>[{index, score, text?}]</c>, served by the default reranker.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route; default <c>/rerank</c>.</param>
    /// <returns>The endpoint's builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    public static RouteHandlerBuilder MapTeiRerank(this IEndpointRouteBuilder endpoints, string pattern = "/rerank") =>
        Map(endpoints, pattern, TeiWireFormat.Instance, "TeiRerank");

    private static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints, string pattern, RerankWireFormat format, string name)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var handler = new RerankEndpointHandler(format, endpoints.ServiceProvider);
        Func<HttpContext, Task> handle = handler.HandleAsync;
        return endpoints.MapPost(pattern, handle)
            .WithName(name)
            .WithTags("Rerank")
            .Accepts<object>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status413PayloadTooLarge)
            .Produces(StatusCodes.Status422UnprocessableEntity);
    }
}
