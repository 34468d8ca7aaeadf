namespace Rerank;

/// <summary>What a reranking call consumed: tokens, billed search units and provider-specific counts.</summary>
public sealed class RerankUsage
{
    /// <summary>Gets or sets the number of input tokens processed, if known.</summary>
    public long? InputTokenCount { get; set; }

    /// <summary>Gets or sets the number of output tokens generated (LLM rerankers), if known.</summary>
    public long? OutputTokenCount { get; set; }

    /// <summary>Gets or sets the total number of tokens, if known.</summary>
    public long? TotalTokenCount { get; set; }

    /// <summary>Gets or sets the billed search units (Cohere), if known.</summary>
    public long? SearchUnits { get; set; }

    /// <summary>Gets or sets other counts a provider reports, by name.</summary>
    public IDictionary<string, long>? AdditionalCounts { get; set; }

    /// <summary>Adds <paramref name="other"/>'s counts to this instance, so that usage of several calls can be summed.</summary>
    /// <param name="other">The usage to add. <see langword="null"/> adds nothing.</param>
    /// <remarks>A count stays <see langword="null"/> only when it is unknown on both sides.</remarks>
    public void Add(RerankUsage? other)
    {
        if (other is null)
        {
            return;
        }

        InputTokenCount = Sum(InputTokenCount, other.InputTokenCount);
        OutputTokenCount = Sum(OutputTokenCount, other.OutputTokenCount);
        TotalTokenCount = Sum(TotalTokenCount, other.TotalTokenCount);
        SearchUnits = Sum(SearchUnits, other.SearchUnits);
        if (other.AdditionalCounts is not null)
        {
            AdditionalCounts ??= new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, long> pair in other.AdditionalCounts)
            {
                AdditionalCounts[pair.Key] = AdditionalCounts.TryGetValue(pair.Key, out long existing) ? existing + pair.Value : pair.Value;
            }
        }
    }

    private static long? Sum(long? a, long? b) => a is null ? b : b is null ? a : a + b;
}
