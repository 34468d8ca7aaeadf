using System.Globalization;
using System.Text.Json;

namespace Rerank;

/// <summary>
/// Freshness: 0.5^(age / half-life), so 1 for a document dated now (or in the future), 0.5 at one half-life, 0.25 at
/// two. Age is measured from the reranker's <see cref="TimeProvider"/>, read once per call.
/// </summary>
internal sealed class RecencySignal(TimeSpan halfLife, Func<RerankDocument, DateTimeOffset?> timestamp, TimeProvider timeProvider) : HybridSignal
{
    // The timestamp selector may be the caller's code (a lookup, a parse), so the signal's timeout and the caller's
    // cancellation are checked as in the other synchronous signals.
    private const int CancellationCheckInterval = 64;

    public override string DefaultName => "recency";

    public override bool IsAsynchronous => false;

    public override string Fingerprint => $"recency(half-life={Fingerprints.Number(halfLife.TotalSeconds)}s,timestamp={Fingerprints.Delegate(timestamp)})";

    public override ValueTask<SignalScores> ScoreAsync(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        double halfLifeSeconds = halfLife.TotalSeconds;
        var values = new double[documents.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (i % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (timestamp(documents[i]) is DateTimeOffset time)
            {
                double ageSeconds = Math.Max(0, (now - time).TotalSeconds);
                values[i] = Math.Pow(0.5, ageSeconds / halfLifeSeconds);
            }
            else
            {
                values[i] = double.NaN;
            }
        }

        return new(new SignalScores(values));
    }

    /// <summary>Reads a timestamp from metadata: a <see cref="DateTimeOffset"/>, <see cref="DateTime"/>, <see cref="DateOnly"/>, an ISO 8601 string, or a JSON string holding one.</summary>
    /// <remarks>A <see cref="DateTime"/> or string without an offset is taken as UTC. Anything else, or an unreadable string, is no value.</remarks>
    public static DateTimeOffset? ReadTimestamp(RerankDocument document, string metadataKey)
    {
        if (document.Metadata is null || !document.Metadata.TryGetValue(metadataKey, out object? value))
        {
            return null;
        }

        return value switch
        {
            DateTimeOffset time => time,
            DateTime { Kind: DateTimeKind.Unspecified } time => new DateTimeOffset(time, TimeSpan.Zero),
            DateTime time => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
            DateOnly date => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            string text => Parse(text),
            JsonElement { ValueKind: JsonValueKind.String } json => Parse(json.GetString()),
            _ => null,
        };
    }

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out DateTimeOffset time)
            ? time
            : null;
}
