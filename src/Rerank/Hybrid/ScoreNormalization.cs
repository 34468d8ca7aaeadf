namespace Rerank;

/// <summary>How a hybrid signal's raw values are brought to a common scale before weighted-sum fusion.</summary>
/// <remarks>
/// <para>
/// Values are normalised over the documents of one call that have a value for the signal (a missing value is handled
/// by <see cref="HybridMissingValueBehavior"/>). Reciprocal rank fusion ignores the normalisation: it uses ranks.
/// </para>
/// <para>
/// Infinite raw values: <see cref="Rank"/>, <see cref="Sigmoid"/> and <see cref="MinMax"/> take them as the ends of the
/// scale (+∞ ranks first and maps to 1, −∞ ranks last and maps to 0; min-max is then computed over the finite values).
/// <see cref="None"/> and <see cref="ZScore"/>, which have no ends, first clamp +∞ to the signal's largest finite value
/// in the call and −∞ to its smallest (to 1 and 0 when no value is finite), so +∞ ties with the best finite value.
/// Every normalised value is finite.
/// </para>
/// </remarks>
public enum ScoreNormalization
{
    /// <summary>Raw values as they are (after clamping infinities). For signals already on a shared scale, such as probabilities or recency.</summary>
    None = 0,

    /// <summary>
    /// (x − min) / (max − min), from 0 for the lowest value to 1 for the highest. When every (finite) value is equal, or
    /// there is a single document, every value becomes 0.5: the signal cannot tell the documents apart, and 0.5 is its
    /// neutral midpoint.
    /// </summary>
    MinMax = 1,

    /// <summary>
    /// (x − mean) / standard deviation (population), unbounded, mean 0. When every value is equal the standard deviation
    /// is 0 and every value becomes 0.
    /// </summary>
    ZScore = 2,

    /// <summary>
    /// (n − rank) / (n − 1), from 1 for the best document to 0 for the worst, where rank starts at 1 and equal values
    /// share the best rank of their group (1, 2, 2, 4). A single document gets 1. Robust to outliers and to scores on
    /// odd scales.
    /// </summary>
    Rank = 3,

    /// <summary>1 / (1 + e^−x), from 0 to 1. For logits, such as a cross-encoder's raw output; keeps absolute meaning across calls.</summary>
    Sigmoid = 4,
}
