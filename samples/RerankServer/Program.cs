// Serves a reranker over HTTP in the Cohere v2 (/v2/rerank), Jina/vLLM (/v1/rerank) and TEI (/rerank) formats:
//   dotnet run --project samples/RerankServer -- --model DIR --urls http://127.0.0.1:8080
//   dotnet run --project samples/RerankServer -- --model hf:cross-encoder/ms-marco-MiniLM-L-6-v2
//   dotnet run --project samples/RerankServer                      (BM25 only)
// Settings (command line --key value, or environment RERANKSERVER_KEY / configuration): model, name, api-key, redis,
// batching (true/false), rate-limit (requests per minute per client). See docs/serving.md.
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Rerank;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
IConfiguration settings = builder.Configuration;
string? model = settings["model"];
string? apiKey = settings["api-key"] is { Length: > 0 } key ? key : Environment.GetEnvironmentVariable("RERANK_API_KEY");
string? redis = settings["redis"] is { Length: > 0 } r ? r : null;
bool batching = !string.Equals(settings["batching"], "false", StringComparison.OrdinalIgnoreCase);
int rateLimit = int.TryParse(settings["rate-limit"], out int permits) ? permits : 0;

if (redis is not null)
{
    // One score cache for every replica: a score computed by one is served to all.
    builder.Services.AddStackExchangeRedisCache(o =>
    {
        o.Configuration = redis;
        o.InstanceName = "rerank-server:";
    });
}

string name = settings["name"] is { Length: > 0 } n ? n
    : model is null ? "bm25"
    : model.StartsWith("hf:", StringComparison.Ordinal) ? model["hf:".Length..]
    : Path.GetFileName(Path.TrimEndingDirectorySeparator(model));

builder.Services.AddRerankServer();
builder.Services.AddHealthChecks();
builder.Services.AddOpenApi();
IRerankingBuilder reranking = builder.Services.AddReranking(o =>
{
    o.Default = name;

    // A server loads its model before it takes traffic, so the first request does not pay for it (or fail on it).
    o.Loading = RerankerLoading.Startup;
});

RerankerBuilder pipeline = model switch
{
    null => reranking.AddBm25(name),
    _ when model.StartsWith("hf:", StringComparison.Ordinal) => reranking.AddOnnxCrossEncoderFromPretrained(name, model["hf:".Length..]),
    _ => reranking.AddOnnxCrossEncoder(name, model),
};
if (redis is not null && model is not null)
{
    // Only a model's scores are cached: BM25's depend on the whole candidate set, and the cache layer refuses it.
    pipeline.UseDistributedCache();
}

if (model is not null && batching)
{
    // Coalesces concurrent requests into one model batch: a local model is faster per document in larger batches.
    pipeline.UseBatching();
}

if (model is not null)
{
    reranking.AddBm25("bm25");
}

if (rateLimit > 0)
{
    builder.Services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.AddPolicy("rerank", context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = rateLimit, Window = TimeSpan.FromMinutes(1) }));
    });
}

WebApplication app = builder.Build();
if (rateLimit > 0)
{
    app.UseRateLimiter();
}

if (apiKey is not null)
{
    byte[] expected = Encoding.UTF8.GetBytes("Bearer " + apiKey);
    app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/openapi"))
        {
            await next(context);
            return;
        }

        // Compared in constant time, so the key cannot be guessed from response timings; it is never logged.
        byte[] given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
        if (!CryptographicOperations.FixedTimeEquals(given, expected))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { message = "A valid API key is required: send 'Authorization: Bearer <key>'." });
            return;
        }

        await next(context);
    });
}

app.MapHealthChecks("/health");
app.MapOpenApi();
IEndpointConventionBuilder endpoints = app.MapRerankEndpoints();
if (rateLimit > 0)
{
    endpoints.RequireRateLimiting("rerank");
}

app.Logger.LogInformation(
    "Serving {Name} ({Source}); batching {Batching}, shared cache {Cache}, API key {Auth}.",
    name, model ?? "BM25", model is not null && batching, redis is not null, apiKey is null ? "off" : "on");
app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
