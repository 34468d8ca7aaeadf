namespace Rerank.Evaluation;

/// <summary>Orders query ids numerically when both are whole numbers ("2" before "10"), otherwise ordinally, so that reports list queries as people number them.</summary>
public sealed class QueryIdComparer : IComparer<string>
{
    private QueryIdComparer()
    {
    }

    /// <summary>Gets the comparer.</summary>
    public static QueryIdComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y) =>
        long.TryParse(x, out long a) && long.TryParse(y, out long b) && a != b ? a.CompareTo(b) : string.CompareOrdinal(x, y);
}
