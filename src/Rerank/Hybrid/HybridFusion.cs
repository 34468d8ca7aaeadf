namespace Rerank;

/// <summary>
/// Combines the raw values of the signals that answered into one score per document, and explains each score as
/// components whose Weight × NormalizedValue add up to it.
/// </summary>
/// <remarks>
/// <para>Weighted sum: score(d) = Σ_s w_s · v_s(d), where v_s is the signal's normalised value.</para>
/// <para>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and Individual
/// Rank Learning Methods", SIGIR 2009): RRFscore(d) = Σ_{r ∈ R} 1 / (k + r(d)), with k = 60 and r(d) the 1-based rank
/// of d in ranking r; here each term is multiplied by the signal's weight (weights of 1 give the published formula).
/// The component's normalised value is 1 / (k + r(d)).
/// </para>
/// </remarks>
internal sealed class HybridFusion
{
    private readonly IReadOnlyList<HybridSignalRegistration> _signals;
    private readonly double[][] _raw;
    private readonly double[] _weights;

    // Per signal, per document: the value that entered the fusion, or NaN where the signal is skipped (Renormalize).
    private readonly double[][] _values;

    // Per signal: the value a document missing it gets under Minimum, and under Renormalize when it has no weight left.
    private readonly double[] _fallbacks;

    // Per document: the factor that scales its weights back to the total; 0 when it falls back to Minimum for everything.
    private readonly double[] _scales;

    private HybridFusion(IReadOnlyList<HybridSignalRegistration> signals, double[][] raw, double[] weights, int count)
    {
        _signals = signals;
        _raw = raw;
        _weights = weights;
        _values = new double[signals.Count][];
        _fallbacks = new double[signals.Count];
        _scales = new double[count];
        Scores = new double[count];
    }

    /// <summary>Gets the fused score of each document, in document order; all finite.</summary>
    public double[] Scores { get; }

    /// <summary>Fuses the raw values.</summary>
    /// <param name="signals">The signals that answered.</param>
    /// <param name="raw">Per signal, the raw values (NaN = missing), as the signal reported them.</param>
    /// <param name="weights">Per signal, the weight after scaling for dropped signals.</param>
    /// <param name="count">The number of documents.</param>
    /// <param name="method">Weighted sum or reciprocal rank fusion.</param>
    /// <param name="k">The RRF constant.</param>
    public static HybridFusion Fuse(IReadOnlyList<HybridSignalRegistration> signals, double[][] raw, double[] weights, int count, HybridFusionMethod method, double k)
    {
        var fusion = new HybridFusion(signals, raw, weights, count);
        for (int s = 0; s < signals.Count; s++)
        {
            fusion.ComputeValues(s, method, k);
        }

        fusion.Combine();
        return fusion;
    }

    /// <summary>Explains one document's score: one component per signal that answered.</summary>
    public RerankScoreComponent[] ComponentsFor(int document)
    {
        var components = new RerankScoreComponent[_signals.Count];
        for (int s = 0; s < components.Length; s++)
        {
            (double value, double weight) = Contribution(s, document);
            components[s] = new RerankScoreComponent(_signals[s].Name, _raw[s][document], value, weight);
        }

        return components;
    }

    private void ComputeValues(int s, HybridFusionMethod method, double k)
    {
        HybridSignalRegistration signal = _signals[s];
        double[] raw = _raw[s];
        var values = new double[raw.Length];
        if (signal.HigherIsBetter)
        {
            raw.CopyTo(values, 0);
        }
        else
        {
            for (int i = 0; i < raw.Length; i++)
            {
                values[i] = -raw[i];
            }
        }

        double fallback;
        if (method == HybridFusionMethod.ReciprocalRankFusion)
        {
            var ranks = new int[values.Length];
            int present = ScoreNormalizer.Rank(values, ranks);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = ranks[i] == 0 ? double.NaN : 1 / (k + ranks[i]);
            }

            // Missing from a ranking = ranked just after its last document.
            fallback = 1 / (k + present + 1);
        }
        else
        {
            ScoreNormalizer.Normalize(values, values, signal.Normalization);
            double minimum = double.PositiveInfinity;
            foreach (double value in values)
            {
                minimum = double.IsNaN(value) ? minimum : Math.Min(minimum, value);
            }

            // No document has a value: the signal adds 0 to everyone and changes nothing.
            fallback = double.IsPositiveInfinity(minimum) ? 0 : minimum;
        }

        if (signal.MissingValues == HybridMissingValueBehavior.Minimum)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (double.IsNaN(values[i]))
                {
                    values[i] = fallback;
                }
            }
        }

        _values[s] = values;
        _fallbacks[s] = fallback;
    }

    private void Combine()
    {
        double total = 0;
        foreach (double weight in _weights)
        {
            total += weight;
        }

        // Each term is clamped so that the sum of all of them stays finite, whatever raw values came in.
        double limit = double.MaxValue / (_signals.Count + 1);
        for (int d = 0; d < Scores.Length; d++)
        {
            double present = 0;
            for (int s = 0; s < _signals.Count; s++)
            {
                present += double.IsNaN(_values[s][d]) ? 0 : _weights[s];
            }

            _scales[d] = present > 0 ? total / present : 0;
            double score = 0;
            for (int s = 0; s < _signals.Count; s++)
            {
                (double value, double weight) = Contribution(s, d);
                score += Math.Clamp(weight * value, -limit, limit);
            }

            Scores[d] = score;
        }
    }

    private (double Value, double Weight) Contribution(int s, int document)
    {
        double value = _values[s][document];
        double scale = _scales[document];
        if (scale == 0)
        {
            // Nothing with weight is left for this document: every skipped signal counts at its minimum, unscaled.
            return (double.IsNaN(value) ? _fallbacks[s] : value, _weights[s]);
        }

        return double.IsNaN(value) ? (0, 0) : (value, _weights[s] * scale);
    }
}
