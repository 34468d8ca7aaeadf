namespace Rerank.Onnx.Tokenization;

/// <summary>
/// The <c>longest_first</c> pair truncation of Hugging Face tokenizers (tokenizers/src/utils/truncation.rs), which
/// sentence-transformers' CrossEncoder uses through <c>truncation=True</c>.
/// </summary>
internal static class PairTruncation
{
    /// <summary>
    /// Computes how many tokens of each side to keep so that together they fit in <paramref name="budget"/>
    /// (max_length minus the special tokens of a pair).
    /// </summary>
    /// <param name="queryLength">The query's length in tokens.</param>
    /// <param name="documentLength">The document's length in tokens.</param>
    /// <param name="budget">The number of content tokens allowed.</param>
    /// <returns>The number of leading tokens to keep from the query and from the document.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A length or the budget is negative.</exception>
    public static (int Query, int Document) LongestFirst(int queryLength, int documentLength, int budget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queryLength);
        ArgumentOutOfRangeException.ThrowIfNegative(documentLength);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);

        // The sum is compared in long: two int.MaxValue-sized inputs must not wrap around.
        if ((long)queryLength + documentLength <= budget)
        {
            return (queryLength, documentLength);
        }

        if (budget == 0)
        {
            return (0, 0);
        }

        // n1 is the shorter side, n2 the longer; the shorter keeps everything if the longer can absorb the cut.
        bool swapped = queryLength > documentLength;
        int n1 = swapped ? documentLength : queryLength;
        int n2 = n1 > budget ? n1 : Math.Max(n1, budget - n1);
        if ((long)n1 + n2 > budget)
        {
            n1 = budget / 2;
            n2 = n1 + (budget % 2);
        }

        return swapped
            ? (Math.Min(n2, queryLength), Math.Min(n1, documentLength))
            : (Math.Min(n1, queryLength), Math.Min(n2, documentLength));
    }
}
