namespace Rerank.Evaluation;

/// <summary>How <see cref="RunEvaluator"/> judges and averages, with trec_eval's defaults.</summary>
public sealed class EvaluationOptions
{
    /// <summary>Gets or sets the lowest grade that counts as relevant (trec_eval <c>-l</c>).</summary>
    /// <value>1 by default; at least 0. nDCG uses the grades themselves as gains and ignores it, as trec_eval does.</value>
    public int RelevanceLevel { get; set; } = 1;

    /// <summary>Gets or sets a value indicating whether means are taken over every judged query, a query missing from the run counting 0 (trec_eval <c>-c</c>).</summary>
    /// <value>
    /// <see langword="false"/> by default: means are over the queries present in both the run and the judgements. Either
    /// way a judged query with no relevant document counts 0, and a query of the run that is not judged is left out
    /// with a warning.
    /// </value>
    public bool AllJudgedQueries { get; set; }

    internal void Validate()
    {
        if (RelevanceLevel < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RelevanceLevel), RelevanceLevel, "EvaluationOptions.RelevanceLevel must be at least 0 (1 is trec_eval's default).");
        }
    }
}
