namespace Rerank;

/// <summary>The arithmetic of <see cref="ScoreNormalization"/> and of ranks; NaN marks a missing value in and out.</summary>
internal static class ScoreNormalizer
{
    /// <summary>Normalises the present (non-NaN) values of <paramref name="values"/> into <paramref name="destination"/>; missing values stay NaN. Every other output is finite.</summary>
    public static void Normalize(ReadOnlySpan<double> values, Span<double> destination, ScoreNormalization normalization)
    {
        switch (normalization)
        {
            case ScoreNormalization.Rank:
                NormalizeRanks(values, destination);
                return;
            case ScoreNormalization.Sigmoid:
                for (int i = 0; i < values.Length; i++)
                {
                    destination[i] = Sigmoid(values[i]);
                }

                return;
            case ScoreNormalization.MinMax:
                MinMax(values, destination);
                return;
        }

        ClampInfinities(values, destination);
        if (normalization == ScoreNormalization.ZScore)
        {
            ZScore(destination);
        }
    }

    /// <summary>
    /// Ranks the present values, highest first, starting at 1; equal values share the best rank of their group
    /// (standard competition ranking: 1, 2, 2, 4), so identical documents always score alike. Missing values get 0.
    /// </summary>
    /// <returns>The number of present values.</returns>
    public static int Rank(ReadOnlySpan<double> values, Span<int> ranks)
    {
        int[] order = new int[values.Length];
        int present = 0;
        for (int i = 0; i < values.Length; i++)
        {
            ranks[i] = 0;
            if (!double.IsNaN(values[i]))
            {
                order[present++] = i;
            }
        }

        double[] keys = values.ToArray();
        Array.Sort(order, 0, present, Comparer<int>.Create((a, b) => keys[b].CompareTo(keys[a])));
        for (int position = 0; position < present; position++)
        {
            int index = order[position];
            ranks[index] = position > 0 && keys[order[position - 1]] == keys[index] ? ranks[order[position - 1]] : position + 1;
        }

        return present;
    }

    private static void NormalizeRanks(ReadOnlySpan<double> values, Span<double> destination)
    {
        Span<int> ranks = values.Length <= 256 ? stackalloc int[values.Length] : new int[values.Length];
        int present = Rank(values, ranks);
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = ranks[i] == 0 ? double.NaN
                : present == 1 ? 1
                : (double)(present - ranks[i]) / (present - 1);
        }
    }

    private static double Sigmoid(double x) => x switch
    {
        double.NaN => double.NaN,

        // Two forms so that exp never overflows into inf/inf; ±∞ give exactly 1 and 0.
        >= 0 => 1 / (1 + Math.Exp(-x)),
        _ => Math.Exp(x) / (1 + Math.Exp(x)),
    };

    private static void ClampInfinities(ReadOnlySpan<double> values, Span<double> destination)
    {
        (double min, double max) = FiniteRange(values);

        bool anyFinite = min <= max;
        for (int i = 0; i < values.Length; i++)
        {
            double value = values[i];
            destination[i] = double.IsPositiveInfinity(value) ? (anyFinite ? max : 1)
                : double.IsNegativeInfinity(value) ? (anyFinite ? min : 0)
                : value;
        }
    }

    private static void MinMax(ReadOnlySpan<double> values, Span<double> destination)
    {
        (double min, double max) = FiniteRange(values);

        // Halving first keeps max − min finite for values near ±double.MaxValue; halving is exact, so ordinary
        // values give exactly (x − min) / (max − min). ±∞ are the ends of the scale by definition.
        double halfMin = min / 2, range = (max / 2) - halfMin;
        for (int i = 0; i < values.Length; i++)
        {
            double value = values[i];
            destination[i] = double.IsNaN(value) ? double.NaN
                : double.IsPositiveInfinity(value) ? 1
                : double.IsNegativeInfinity(value) ? 0
                : range > 0 ? ((value / 2) - halfMin) / range
                : 0.5;
        }
    }

    /// <summary>The smallest and largest finite values; (+∞, −∞) when there are none.</summary>
    private static (double Min, double Max) FiniteRange(ReadOnlySpan<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double value in values)
        {
            if (double.IsFinite(value))
            {
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }

        return (min, max);
    }

    private static void ZScore(Span<double> values)
    {
        // z-scores do not change when every value is divided by the same number; dividing by the largest magnitude
        // keeps the sum of squares from overflowing.
        double scale = 0, sum = 0;
        int count = 0;
        foreach (double value in values)
        {
            if (!double.IsNaN(value))
            {
                scale = Math.Max(scale, Math.Abs(value));
                count++;
            }
        }

        if (scale == 0)
        {
            Fill(values, 0);
            return;
        }

        foreach (double value in values)
        {
            if (!double.IsNaN(value))
            {
                sum += value / scale;
            }
        }

        double mean = sum / count, squares = 0;
        foreach (double value in values)
        {
            if (!double.IsNaN(value))
            {
                double deviation = (value / scale) - mean;
                squares += deviation * deviation;
            }
        }

        double deviationOfAll = Math.Sqrt(squares / count);
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                // Equal values can leave a rounding-sized spread; below 1e-12 of the largest magnitude it is treated as none.
                values[i] = deviationOfAll > 1e-12 ? ((values[i] / scale) - mean) / deviationOfAll : 0;
            }
        }
    }

    private static void Fill(Span<double> values, double value)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                values[i] = value;
            }
        }
    }
}
