namespace Rerank.Evaluation;

/// <summary>
/// The statistics of an IR comparison, as ranx and the literature use them: a percentile bootstrap confidence interval
/// of a mean, the paired two-sided randomisation (permutation) test, the paired t-test, and Holm–Bonferroni correction.
/// </summary>
/// <remarks>
/// Every random choice comes from <see cref="Random(int)"/> with the seed given, whose sequence .NET keeps stable across
/// versions, so a fixed seed gives identical results on every machine. Thread-safe: no state is shared.
/// </remarks>
public static class SignificanceTests
{
    /// <summary>A percentile bootstrap confidence interval of the mean.</summary>
    /// <param name="values">The sample (per-query values or per-query differences).</param>
    /// <param name="level">The confidence level, between 0 and 1 exclusive; 0.95 by default.</param>
    /// <param name="samples">The number of bootstrap resamples; at least 1.</param>
    /// <param name="seed">The seed of the resampling.</param>
    /// <returns>The mean and the interval between the (1 − level)/2 and (1 + level)/2 quantiles of the resampled means (linear interpolation, as numpy's default); NaN for an empty sample.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> or <paramref name="samples"/> is out of range.</exception>
    public static ConfidenceInterval BootstrapMean(ReadOnlySpan<double> values, double level = 0.95, int samples = 10_000, int seed = 42)
    {
        if (!(level is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be between 0 and 1, such as 0.95.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        int n = values.Length;
        if (n == 0)
        {
            return new ConfidenceInterval(double.NaN, double.NaN, double.NaN, level);
        }

        double mean = Mean(values);
        var random = new Random(seed);
        var means = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += values[random.Next(n)];
            }

            means[s] = sum / n;
        }

        Array.Sort(means);
        double tail = (1 - level) / 2;
        return new ConfidenceInterval(mean, Quantile(means, tail), Quantile(means, 1 - tail), level);
    }

    /// <summary>
    /// The paired two-sided randomisation test (Fisher's sign-flip permutation test) of the mean difference of
    /// <paramref name="b"/> − <paramref name="a"/>: under the null hypothesis each pair's difference is as likely to
    /// have either sign.
    /// </summary>
    /// <param name="a">The first system's per-query values.</param>
    /// <param name="b">The second system's per-query values, paired with <paramref name="a"/> by position.</param>
    /// <param name="samples">The number of random sign assignments; at least 1. When 2^n is at most this, all 2^n are enumerated and the p-value is exact.</param>
    /// <param name="seed">The seed of the random assignments.</param>
    /// <returns>
    /// The two-sided p-value: the share of assignments whose |mean difference| is at least the observed one, exact
    /// (count / 2^n) when enumerated, otherwise (count + 1) / (samples + 1), which never reports 0. 1 when every
    /// difference is 0 or there are no pairs.
    /// </returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is less than 1.</exception>
    public static double RandomizationTest(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int samples = 10_000, int seed = 42)
    {
        double[] d = Differences(a, b);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        int n = d.Length;
        double observed = Math.Abs(Sum(d));
        double scale = 0;
        foreach (double x in d)
        {
            scale += Math.Abs(x);
        }

        if (n == 0 || scale == 0)
        {
            return 1;
        }

        // A permuted sum equal to the observed one must count as "at least as extreme" despite rounding.
        double threshold = observed - (1e-12 * scale);
        if (n < 31 && (1L << n) <= samples)
        {
            long total = 1L << n, extreme = 0;
            for (long signs = 0; signs < total; signs++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    sum += ((signs >> i) & 1) == 0 ? d[i] : -d[i];
                }

                if (Math.Abs(sum) >= threshold)
                {
                    extreme++;
                }
            }

            return (double)extreme / total;
        }

        var random = new Random(seed);
        long count = 0;
        for (int s = 0; s < samples; s++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += random.Next(2) == 0 ? d[i] : -d[i];
            }

            if (Math.Abs(sum) >= threshold)
            {
                count++;
            }
        }

        return (count + 1.0) / (samples + 1.0);
    }

    /// <summary>The paired two-sided Student's t-test of the mean difference of <paramref name="b"/> − <paramref name="a"/>.</summary>
    /// <param name="a">The first system's per-query values.</param>
    /// <param name="b">The second system's per-query values, paired with <paramref name="a"/> by position.</param>
    /// <returns>t, the degrees of freedom and the two-sided p-value. With every difference equal, t is 0 (p = 1) when they are 0 and infinite (p = 0) otherwise.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static PairedTTestResult PairedTTest(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double[] d = Differences(a, b);
        int n = d.Length;
        if (n < 2)
        {
            return new PairedTTestResult(double.NaN, Math.Max(n - 1, 0), double.NaN);
        }

        double mean = Sum(d) / n;
        double squares = 0;
        foreach (double x in d)
        {
            squares += (x - mean) * (x - mean);
        }

        double standardError = Math.Sqrt(squares / (n - 1) / n);
        if (standardError == 0 || standardError < 1e-15 * Math.Abs(mean))
        {
            return mean == 0
                ? new PairedTTestResult(0, n - 1, 1)
                : new PairedTTestResult(mean > 0 ? double.PositiveInfinity : double.NegativeInfinity, n - 1, 0);
        }

        double t = mean / standardError;
        return new PairedTTestResult(t, n - 1, StudentTTwoSided(t, n - 1));
    }

    /// <summary>Holm–Bonferroni step-down adjustment of p-values, which controls the family-wise error rate across the comparisons.</summary>
    /// <param name="pValues">The raw p-values of the comparisons. NaN is treated as 1.</param>
    /// <returns>The adjusted p-values, in the same order: for the i-th smallest (from 0) of m, max over j ≤ i of min(1, (m − j) · p(j)).</returns>
    public static double[] HolmBonferroni(ReadOnlySpan<double> pValues)
    {
        int m = pValues.Length;
        var order = new int[m];
        var p = new double[m];
        for (int i = 0; i < m; i++)
        {
            order[i] = i;
            p[i] = double.IsNaN(pValues[i]) ? 1 : pValues[i];
        }

        // Stable on ties, so equal p-values get equal adjustments regardless of position.
        Array.Sort(order, (x, y) => p[x] != p[y] ? p[x].CompareTo(p[y]) : x.CompareTo(y));
        var adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }

    /// <summary>The two-sided tail probability of Student's t distribution: P(|T| ≥ |t|) with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    /// <param name="t">The statistic.</param>
    /// <param name="degreesOfFreedom">At least 1.</param>
    /// <returns>The probability.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degreesOfFreedom"/> is less than 1.</exception>
    public static double StudentTTwoSided(double t, double degreesOfFreedom)
    {
        if (!(degreesOfFreedom >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Student's t needs at least 1 degree of freedom.");
        }

        if (double.IsNaN(t))
        {
            return double.NaN;
        }

        if (double.IsInfinity(t))
        {
            return 0;
        }

        double x = degreesOfFreedom / (degreesOfFreedom + (t * t));
        return Math.Clamp(RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, x), 0, 1);
    }

    /// <summary>The q-quantile of sorted values with linear interpolation between order statistics (numpy's default).</summary>
    internal static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    internal static double Mean(ReadOnlySpan<double> values) => values.Length == 0 ? double.NaN : Sum(values) / values.Length;

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return sum;
    }

    private static double[] Differences(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Paired samples must have the same length; got {a.Length} and {b.Length}.", nameof(b));
        }

        var d = new double[a.Length];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = b[i] - a[i];
        }

        return d;
    }

    /// <summary>I_x(a, b) by the continued fraction of Numerical Recipes (Lentz's method), using the symmetry for fast convergence.</summary>
    private static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x)));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - (front * BetaContinuedFraction(b, a, 1 - x) / b);
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - (qab * x / qap);
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 300; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>ln Γ(x) for x &gt; 0 by the Lanczos approximation (g = 7, nine coefficients), accurate to about 15 digits.</summary>
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        double sum = coefficients[0];
        for (int i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        double t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
