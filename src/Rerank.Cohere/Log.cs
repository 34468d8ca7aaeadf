using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>
/// The reranker's log messages. None includes the API key, a header, the query or a document: only the provider, the address,
/// counts, statuses and timings.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Sending a {Provider} rerank request to {RequestUri}: {DocumentCount} documents, model {ModelId}, top_n {TopN}.")]
    public static partial void Sending(ILogger logger, string provider, Uri requestUri, int documentCount, string? modelId, int? topN);

    [LoggerMessage(2, LogLevel.Debug, "The {Provider} rerank request to {RequestUri} answered HTTP {StatusCode} in {ElapsedMilliseconds} ms.")]
    public static partial void Received(ILogger logger, string provider, Uri requestUri, int statusCode, long elapsedMilliseconds);

    [LoggerMessage(3, LogLevel.Warning, "The {Provider} rerank request to {RequestUri} failed ({Reason}); retry {Attempt} of {MaxAttempts} in {Delay}.")]
    public static partial void Retrying(ILogger logger, string provider, Uri requestUri, string reason, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Warning, "The {Provider} rerank server at {RequestUri} warned: {Warning}")]
    public static partial void ServerWarning(ILogger logger, string provider, Uri requestUri, string warning);

    [LoggerMessage(5, LogLevel.Error, "The {Provider} rerank request to {RequestUri} failed with HTTP {StatusCode}: {ProviderMessage}")]
    public static partial void Failed(ILogger logger, string provider, Uri requestUri, int statusCode, string? providerMessage);

    [LoggerMessage(6, LogLevel.Debug, "Splitting {DocumentCount} documents into {RequestCount} {Provider} rerank requests of at most {MaxDocumentsPerRequest}.")]
    public static partial void Splitting(ILogger logger, string provider, int documentCount, int requestCount, int maxDocumentsPerRequest);
}
