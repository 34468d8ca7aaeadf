using System.Globalization;

namespace Rerank;

/// <summary>Skips when the first stage's best candidate leads the second by a margin.</summary>
internal sealed class TopScoreMarginPolicy(double margin)
    : SelectiveRerankingPolicy(string.Create(CultureInfo.InvariantCulture, $"top1_margin({margin:R})"))
{
    public override SelectiveRerankingVerdict Evaluate(SelectiveRerankingContext context)
    {
        IReadOnlyList<double>? scores = context.ScoresDescending;
        if (scores is null || scores.Count == 0)
        {
            return SelectiveRerankingVerdict.Abstain;
        }

        return scores.Count == 1 || scores[0] - scores[1] >= margin ? SelectiveRerankingVerdict.Skip : SelectiveRerankingVerdict.Abstain;
    }
}
