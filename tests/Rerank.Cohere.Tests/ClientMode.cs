namespace Rerank.Cohere.Tests;

/// <summary>How the reranker under test is built: over a plain HttpClient (its own pipeline) or through DI (the pipeline in the client's handler).</summary>
public enum ClientMode
{
    Plain,
    DependencyInjection,
}
