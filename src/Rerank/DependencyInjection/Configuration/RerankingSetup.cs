using Microsoft.Extensions.Configuration;

namespace Rerank;

/// <summary>
/// What the <c>AddReranking</c> calls on one service collection registered: the named rerankers added in code and the
/// configuration sections given. One instance per collection, found again by every call, so that several calls add up.
/// </summary>
internal sealed class RerankingSetup
{
    public List<(string Name, RerankerBuilder Pipeline)> CodeRerankers { get; } = [];

    public List<IConfigurationSection> Sections { get; } = [];

    /// <summary>Gets the layers added in code to configured rerankers, by name, in call order.</summary>
    public List<(string Name, Action<RerankerBuilder> Configure)> PipelineConfigurations { get; } = [];

    /// <summary>Gets the names already registered as keyed <see cref="IReranker"/> services (case as written).</summary>
    public HashSet<string> KeyedNames { get; } = new(StringComparer.Ordinal);
}
