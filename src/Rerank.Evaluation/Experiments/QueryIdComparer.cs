namespace Rerank.Evaluation;

/// <summary>Orders query ids numerically when both are whole numbers ("2" before "10"), otherwise ordinally, so reports list queries as people number them.</summary>
internal sealed class QueryIdComparer : IComparer<string>
{
    public static readonly QueryIdComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (long.TryParse(x, out long a) && long.TryParse(y, out long b) && a != b)
        {
            return a.CompareTo(b);
        }

        return string.CompareOrdinal(x, y);
    }
}
