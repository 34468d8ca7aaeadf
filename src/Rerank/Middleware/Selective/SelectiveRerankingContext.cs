namespace Rerank;

/// <summary>What a <see cref="SelectiveRerankingPolicy"/> sees of a call: the candidates, their first-stage scores and the options.</summary>
/// <remarks>Built once per call by the selective layer and shared by its policies; policies must not keep it.</remarks>
public sealed class SelectiveRerankingContext
{
    internal SelectiveRerankingContext(string query, IReadOnlyList<RerankDocument> documents, RerankOptions? options, double[]? scoresDescending)
    {
        Query = query;
        Documents = documents;
        Options = options;
        ScoresDescending = scoresDescending;
    }

    /// <summary>Gets the query.</summary>
    public string Query { get; }

    /// <summary>Gets the candidates, in input order.</summary>
    public IReadOnlyList<RerankDocument> Documents { get; }

    /// <summary>Gets the call's options, or <see langword="null"/>.</summary>
    public RerankOptions? Options { get; }

    /// <summary>
    /// Gets the first-stage scores (<see cref="RerankDocument.Score"/>) sorted from highest to lowest, or
    /// <see langword="null"/> when any candidate has no first-stage score or a score that is not a finite number; then
    /// the call is always reranked, because there is nothing honest to return instead.
    /// </summary>
    public IReadOnlyList<double>? ScoresDescending { get; }
}
