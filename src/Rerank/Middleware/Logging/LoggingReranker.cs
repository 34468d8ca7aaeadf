using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Rerank;

/// <summary>Logs each reranking call: what was asked, how long it took, how it ended.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Information</b>: completion with the document and result counts and the duration. Never any query or document text.</item>
/// <item><b>Debug</b>: the start of each call with its counts and options, and cancellations.</item>
/// <item><b>Trace</b>: the query, the document texts and the scores, for local debugging only: they may be personal data.</item>
/// <item><b>Error</b>: failures, with the exception.</item>
/// </list>
/// </remarks>
public sealed partial class LoggingReranker : DelegatingReranker
{
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LoggingReranker"/> class.</summary>
    /// <param name="innerReranker">The reranker whose calls are logged.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerReranker"/> or <paramref name="logger"/> is <see langword="null"/>.</exception>
    public LoggingReranker(IReranker innerReranker, ILogger logger)
        : base(innerReranker)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc />
    public override async Task<RerankResponse> RerankAsync(
        string query,
        IEnumerable<RerankDocument> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (!_logger.IsEnabled(LogLevel.Error))
        {
            return await base.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false);
        }

        // No argument checks here: the inner reranker makes them, in the contract's order, and its exceptions are logged.
        documents = DocumentCount.Count(documents, out int documentCount)!;
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            LogInvokedSensitive(_logger, documentCount, query, Texts(documents));
        }
        else if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogInvoked(_logger, documentCount, options?.TopN, options?.ScoreThreshold, options?.ModelId);
        }

        long started = Stopwatch.GetTimestamp();
        try
        {
            RerankResponse response = await InnerReranker.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false);
            double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCompleted(_logger, documentCount, response.Results.Count, response.ModelId, elapsed);
            if (_logger.IsEnabled(LogLevel.Trace))
            {
                LogResultsSensitive(_logger, string.Join(", ", response.Results.Select(r => $"#{r.Index} {r.Score:G6}")));
            }

            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCanceled(_logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        catch (Exception ex)
        {
            LogFailed(_logger, documentCount, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex);
            throw;
        }
    }

    private static string Texts(IEnumerable<RerankDocument>? documents)
    {
        var builder = new StringBuilder();
        int index = 0;
        foreach (RerankDocument document in documents ?? [])
        {
            builder.Append(index == 0 ? "" : " | ").Append('#').Append(index++).Append(' ').Append(document?.Text);
        }

        return builder.ToString();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Rerank invoked: {DocumentCount} documents, TopN {TopN}, ScoreThreshold {ScoreThreshold}, model {ModelId}.")]
    private static partial void LogInvoked(ILogger logger, int documentCount, int? topN, double? scoreThreshold, string? modelId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Trace, Message = "Rerank invoked: {DocumentCount} documents for query {Query}: {Documents}")]
    private static partial void LogInvokedSensitive(ILogger logger, int documentCount, string query, string documents);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Rerank completed: {ResultCount} results of {DocumentCount} documents from model {ModelId} in {ElapsedMilliseconds:0.###} ms.")]
    private static partial void LogCompleted(ILogger logger, int documentCount, int resultCount, string? modelId, double elapsedMilliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Trace, Message = "Rerank results: {Results}")]
    private static partial void LogResultsSensitive(ILogger logger, string results);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Rerank canceled by the caller after {ElapsedMilliseconds:0.###} ms.")]
    private static partial void LogCanceled(ILogger logger, double elapsedMilliseconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Rerank of {DocumentCount} documents failed after {ElapsedMilliseconds:0.###} ms.")]
    private static partial void LogFailed(ILogger logger, int documentCount, double elapsedMilliseconds, Exception exception);
}
