namespace Rerank;

/// <summary>Finds the application's rerankers by name, for code that picks one at run time (such as a server's <c>model</c> field).</summary>
/// <remarks>
/// Registered by <c>services.AddReranking()</c> as a singleton. Names compare case-insensitively, as configuration keys do.
/// The rerankers it returns belong to the container: do not dispose them. It is safe to use from any number of threads.
/// </remarks>
public interface IRerankerProvider
{
    /// <summary>Gets the names of every registered reranker: those added in code in their order, then the configured ones in key order (as configuration lists them).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Gets the name of the default reranker (the one <see cref="IReranker"/> resolves to), or <see langword="null"/> when there is none.</summary>
    string? DefaultName { get; }

    /// <summary>Gets the reranker registered under <paramref name="name"/>, building it on first use.</summary>
    /// <param name="name">The reranker's name.</param>
    /// <returns>The reranker; the same instance on every call.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No reranker has that name; the message lists the names there are.</exception>
    /// <exception cref="InvalidOperationException">The reranker could not be built; the message names it and its configuration path.</exception>
    IReranker GetReranker(string name);

    /// <summary>Gets the reranker registered under <paramref name="name"/>, if there is one, building it on first use.</summary>
    /// <param name="name">The reranker's name.</param>
    /// <param name="reranker">The reranker, or <see langword="null"/> when no reranker has that name.</param>
    /// <returns><see langword="true"/> when a reranker has that name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The reranker could not be built.</exception>
    bool TryGetReranker(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReranker? reranker);
}
