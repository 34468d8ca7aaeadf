using System.Globalization;

namespace Rerank;

/// <summary>Vetoes a skip when the best k first-stage scores are too close together to trust their order.</summary>
internal sealed class AmbiguityPolicy(int topK, double maxStandardDeviation)
    : SelectiveRerankingPolicy(string.Create(CultureInfo.InvariantCulture, $"ambiguous_top{topK}(std<{maxStandardDeviation:R})"))
{
    public override SelectiveRerankingVerdict Evaluate(SelectiveRerankingContext context)
    {
        IReadOnlyList<double>? scores = context.ScoresDescending;
        int k = Math.Min(topK, scores?.Count ?? 0);
        if (scores is null || k < 2)
        {
            // One candidate cannot be ordered wrongly; missing scores already force a rerank.
            return SelectiveRerankingVerdict.Abstain;
        }

        double mean = 0;
        for (int i = 0; i < k; i++)
        {
            mean += scores[i];
        }

        mean /= k;
        double variance = 0;
        for (int i = 0; i < k; i++)
        {
            double d = scores[i] - mean;
            variance += d * d;
        }

        return Math.Sqrt(variance / k) < maxStandardDeviation ? SelectiveRerankingVerdict.Rerank : SelectiveRerankingVerdict.Abstain;
    }
}
