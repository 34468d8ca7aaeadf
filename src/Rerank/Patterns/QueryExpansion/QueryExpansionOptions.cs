namespace Rerank;

/// <summary>Bounds and settings of a <see cref="QueryExpansionRetriever"/>; checked when the retriever is created.</summary>
public sealed class QueryExpansionOptions
{
    /// <summary>Gets or sets the most generated variants searched (the original query is searched besides them).</summary>
    /// <value>3 by default; 0 to 20.</value>
    public int MaxVariants { get; set; } = 3;

    /// <summary>Gets or sets how many candidates each query's first-stage search asks for.</summary>
    /// <value>20 by default; 1 to 1000.</value>
    public int CandidatesPerQuery { get; set; } = 20;

    /// <summary>Gets or sets the most candidates, after the union, that reach the reranker (the best by reciprocal rank fusion).</summary>
    /// <value>50 by default; 1 to 10000.</value>
    public int MaxCandidates { get; set; } = 50;

    /// <summary>Gets or sets the constant k of reciprocal rank fusion, score = Σ 1 / (k + rank), rank from 1.</summary>
    /// <value>60 by default (Cormack et al.); at least 1.</value>
    public int RrfK { get; set; } = 60;

    /// <summary>Gets or sets the longest variant kept, in characters; longer ones are dropped as garbage.</summary>
    /// <value>256 by default; at least 1.</value>
    public int MaxVariantLength { get; set; } = 256;

    internal void Validate()
    {
        Check(MaxVariants, 0, 20, nameof(MaxVariants));
        Check(CandidatesPerQuery, 1, 1000, nameof(CandidatesPerQuery));
        Check(MaxCandidates, 1, 10_000, nameof(MaxCandidates));
        Check(RrfK, 1, int.MaxValue, nameof(RrfK));
        Check(MaxVariantLength, 1, int.MaxValue, nameof(MaxVariantLength));
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException("options", value, $"QueryExpansionOptions.{name} must be between {min} and {max}.");
        }
    }
}
