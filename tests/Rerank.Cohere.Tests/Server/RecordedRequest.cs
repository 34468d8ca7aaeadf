namespace Rerank.Cohere.Tests.Server;

/// <summary>A request the test server received, as it arrived.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    string Body,
    string? ContentType,
    string? Authorization,
    string? Accept,
    DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers);
