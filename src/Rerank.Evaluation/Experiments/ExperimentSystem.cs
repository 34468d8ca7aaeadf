namespace Rerank.Evaluation;

/// <summary>A reranker under test, with the name it appears under in reports.</summary>
/// <remarks>The experiment does not dispose the reranker: it stays the caller's.</remarks>
public sealed class ExperimentSystem
{
    /// <summary>Initializes a new instance of the <see cref="ExperimentSystem"/> class.</summary>
    /// <param name="name">The name in reports; unique within an experiment.</param>
    /// <param name="reranker">The reranker.</param>
    /// <param name="description">How it was configured (a CLI spec, its scoring fingerprint), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="reranker"/> is <see langword="null"/>.</exception>
    public ExperimentSystem(string name, IReranker reranker, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(reranker);
        Name = name;
        Reranker = reranker;
        Description = description ?? reranker.GetService<RerankerMetadata>()?.ScoringFingerprint;
    }

    /// <summary>Gets the name in reports.</summary>
    public string Name { get; }

    /// <summary>Gets the reranker.</summary>
    public IReranker Reranker { get; }

    /// <summary>Gets how it was configured, or <see langword="null"/>.</summary>
    public string? Description { get; }
}
