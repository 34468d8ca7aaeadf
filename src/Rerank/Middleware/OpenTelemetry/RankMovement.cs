namespace Rerank;

/// <summary>How far reranking moved the first-stage order: the arithmetic behind the OpenTelemetry layer's movement metrics.</summary>
internal static class RankMovement
{
    /// <summary>Kendall's tau is quadratic; beyond this many results only the best ones are compared.</summary>
    public const int MaxCorrelatedResults = 1000;

    /// <summary>
    /// Returns each input document's position in the first-stage order: by <see cref="RerankDocument.Score"/> (descending,
    /// ties in input order) when every document has a finite one, else the input position. <see langword="null"/> when
    /// the documents cannot be read again (a null entry).
    /// </summary>
    public static int[]? FirstStageRanks(IEnumerable<RerankDocument> documents, int count)
    {
        var scores = new double[count];
        bool allScored = true;
        int i = 0;
        foreach (RerankDocument document in documents)
        {
            if (document is null || i >= count)
            {
                return null;
            }

            if (document.Score is double score && double.IsFinite(score))
            {
                scores[i] = score;
            }
            else
            {
                allScored = false;
            }

            i++;
        }

        if (i != count)
        {
            return null;
        }

        int[] order = new int[count];
        for (int j = 0; j < count; j++)
        {
            order[j] = j;
        }

        if (allScored)
        {
            // Stable: equal first-stage scores keep input order, as every reranker breaks ties.
            Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        }

        int[] rank = new int[count];
        for (int position = 0; position < count; position++)
        {
            rank[order[position]] = position;
        }

        return rank;
    }

    /// <summary>Checks that every result's index points into the input, so a misbehaving reranker cannot throw from telemetry.</summary>
    public static bool IndicesFit(IReadOnlyList<RerankResult> results, int count)
    {
        foreach (RerankResult result in results)
        {
            if ((uint)result.Index >= (uint)count)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The share of the reranked top k (k = min(<paramref name="depth"/>, results)) whose first-stage position is within k too.</summary>
    public static double TopKOverlap(int[] firstStageRank, IReadOnlyList<RerankResult> results, int depth)
    {
        int k = Math.Min(depth, results.Count);
        int shared = 0;
        for (int i = 0; i < k; i++)
        {
            if (firstStageRank[results[i].Index] < k)
            {
                shared++;
            }
        }

        return (double)shared / k;
    }

    /// <summary>
    /// Kendall's tau-a between the reranked order of the results and their first-stage order (positions are distinct, so
    /// there are no ties): (concordant − discordant) / pairs, over at most <see cref="MaxCorrelatedResults"/> results.
    /// </summary>
    public static double KendallTau(int[] firstStageRank, IReadOnlyList<RerankResult> results)
    {
        int n = Math.Min(results.Count, MaxCorrelatedResults);
        long concordant = 0, discordant = 0;
        for (int i = 0; i < n; i++)
        {
            int a = firstStageRank[results[i].Index];
            for (int j = i + 1; j < n; j++)
            {
                if (a < firstStageRank[results[j].Index])
                {
                    concordant++;
                }
                else
                {
                    discordant++;
                }
            }
        }

        long pairs = (long)n * (n - 1) / 2;
        return pairs == 0 ? 1 : (double)(concordant - discordant) / pairs;
    }
}
