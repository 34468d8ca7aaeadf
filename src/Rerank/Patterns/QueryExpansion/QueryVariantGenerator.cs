namespace Rerank;

/// <summary>Writes up to <paramref name="maxVariants"/> variants of <paramref name="query"/> (synonymous, more specific, more abstract) for query expansion.</summary>
/// <param name="query">The user's query.</param>
/// <param name="maxVariants">The most variants wanted; more are ignored.</param>
/// <param name="cancellationToken">Cancels the generation.</param>
/// <returns>The variants; may be empty. Empty, duplicate and over-long entries are dropped by the caller.</returns>
public delegate Task<IReadOnlyList<string>> QueryVariantGenerator(string query, int maxVariants, CancellationToken cancellationToken);
