// Registers the application's rerankers with services.AddReranking(...) from appsettings.json ("Reranking": { "Default",
// "Rerankers": { "cohere": { "Provider": "cohere", ... }, "bm25": { ... } } }): Cohere Rerank v2 with a timeout, a score cache and
// BM25 as its fallback, the API key from user secrets or the CO_API_KEY environment variable; then reranks a few documents.
//
//   dotnet user-secrets set "Reranking:Rerankers:cohere:ApiKey" "<your key>" --project samples/CohereDependencyInjection
//   dotnet run --project samples/CohereDependencyInjection
//
// The same code talks to a self-hosted server: set "Dialect" to TextEmbeddingsInference, Infinity or Vllm and "Endpoint" to its
// address (e.g. Reranking__Rerankers__cohere__Dialect=TextEmbeddingsInference Reranking__Rerankers__cohere__Endpoint=http://localhost:8080).
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rerank;

// appsettings.json is read from the build output, so the sample behaves the same from any working directory.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

// The host loads user secrets only in the Development environment; a sample is usually run without one.
builder.Configuration.AddUserSecrets(typeof(Program).Assembly, optional: true);

IConfigurationSection section = builder.Configuration.GetSection("Reranking:Rerankers:cohere");
bool cloud = !Enum.TryParse(section["Dialect"], ignoreCase: true, out RerankApiDialect dialect)
    || dialect is RerankApiDialect.Cohere or RerankApiDialect.Jina or RerankApiDialect.Voyage;
if (cloud && string.IsNullOrWhiteSpace(section["ApiKey"]) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("CO_API_KEY")))
{
    Console.WriteLine("""
        No Cohere API key is configured, so nothing was sent. Set one in either of two ways:

          dotnet user-secrets set "Reranking:Rerankers:cohere:ApiKey" "<your key>" --project samples/CohereDependencyInjection
          export CO_API_KEY="<your key>"

        Keys are issued at https://dashboard.cohere.com/api-keys (a free trial key works).
        """);
    return 0;
}

// Every reranker, its timeout, cache and fallbacks come from the "Reranking" section; the whole section is checked when the host
// starts, and a bad value stops it with a message naming its path. AddCohereProvider lets the section say "Provider": "cohere".
builder.Services.AddReranking(builder.Configuration.GetSection("Reranking"))
    .AddCohereProvider()
    .ConfigurePipeline("cohere", pipeline => pipeline.Use(async (query, documents, options, next, cancellationToken) =>
    {
        // Layers that configuration cannot express are added in code, around the configured ones; this one times each call.
        long started = Stopwatch.GetTimestamp();
        RerankResponse response = await next.RerankAsync(query, documents, options, cancellationToken);
        Console.WriteLine($"Reranked in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms.");
        return response;
    }));

using IHost host = builder.Build();
IReranker reranker = host.Services.GetRequiredService<IReranker>();

const string Query = "What is the capital of the United States?";
string[] documents =
[
    "Carson City is the capital city of the American state of Nevada.",
    "The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific Ocean. Its capital is Saipan.",
    "Washington, D.C. (also known as simply Washington or D.C.) is the capital of the United States. It is a federal district.",
    "Capitalization or capitalisation in English grammar is the use of a capital letter at the start of a word.",
    "Capital punishment has existed in the United States since before the United States was a country.",
];

try
{
    RerankResponse response = await reranker.RerankAsync(Query, documents, new RerankOptions { TopN = 3 });

    Console.WriteLine($"Query: {Query}");
    foreach (RerankResult result in response.Results)
    {
        Console.WriteLine($"  {result.Score:F4}  [{result.Index}] {result.Document.Text}");
    }

    Console.WriteLine($"Model: {response.ModelId}; search units: {response.Usage?.SearchUnits?.ToString() ?? "n/a"}; " +
        $"provider: {reranker.GetService<RerankerMetadata>()?.ProviderName}.");
    return 0;
}
catch (RerankHttpException ex)
{
    // The message carries the status, Cohere's own message and a hint; never the key.
    Console.Error.WriteLine(ex.Message);
    return 1;
}
catch (Exception ex) when (ex is RerankResponseException or TimeoutException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
