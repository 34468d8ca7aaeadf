namespace Rerank.Evaluation;

/// <summary>trec_eval's ranking order: score descending, ties by document id in descending byte order (<c>strcmp</c>).</summary>
internal static class TrecOrder
{
    private static readonly Comparison<RunEntry> Comparison = static (x, y) =>
    {
        int byScore = y.Score.CompareTo(x.Score);
        return byScore != 0 ? byScore : CompareUtf8(y.DocumentId, x.DocumentId);
    };

    public static void Sort(RunEntry[] entries) => Array.Sort(entries, Comparison);

    /// <summary>
    /// Compares two strings as <c>strcmp</c> compares their UTF-8 bytes, which is code-point order. Ordinal UTF-16
    /// comparison differs only where a surrogate pair meets a character from U+E000 to U+FFFF.
    /// </summary>
    public static int CompareUtf8(string a, string b)
    {
        int length = Math.Min(a.Length, b.Length);
        for (int i = 0; i < length; i++)
        {
            char x = a[i], y = b[i];
            if (x == y)
            {
                continue;
            }

            bool xSurrogate = char.IsSurrogate(x), ySurrogate = char.IsSurrogate(y);
            if (xSurrogate != ySurrogate && (x >= '\uE000' || y >= '\uE000'))
            {
                // A surrogate stands for a code point above U+FFFF, so it sorts after every BMP character.
                return xSurrogate ? 1 : -1;
            }

            return x < y ? -1 : 1;
        }

        return a.Length.CompareTo(b.Length);
    }
}
