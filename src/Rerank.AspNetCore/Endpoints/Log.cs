using Microsoft.Extensions.Logging;

namespace Rerank.AspNetCore;

/// <summary>The endpoints' log messages: format, model, counts, statuses and timings; never the query, a document or a header.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Reranked {DocumentCount} documents with {Model} for a {Format} request in {ElapsedMilliseconds} ms.")]
    public static partial void Served(ILogger logger, string format, string model, int documentCount, long elapsedMilliseconds);

    [LoggerMessage(2, LogLevel.Information, "Refused a {Format} rerank request with HTTP {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, string format, int statusCode, string reason);

    [LoggerMessage(3, LogLevel.Debug, "The client of a {Format} rerank request went away; the work was cancelled.")]
    public static partial void Aborted(ILogger logger, string format);

    [LoggerMessage(4, LogLevel.Error, "A {Format} rerank request failed in the reranker {Model}.")]
    public static partial void Failed(ILogger logger, Exception exception, string format, string? model);
}
