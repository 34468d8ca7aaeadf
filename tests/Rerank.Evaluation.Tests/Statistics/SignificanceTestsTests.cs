namespace Rerank.Evaluation.Tests.Statistics;

public class SignificanceTestsTests
{
    [Test]
    public void The_randomisation_test_is_exact_when_every_sign_assignment_fits_in_the_samples()
    {
        // Differences 1, 2, 3: of the 8 sign assignments, |sum| >= 6 only for all-plus and all-minus.
        Assert.That(SignificanceTests.RandomizationTest([0, 0, 0], [1, 2, 3]), Is.EqualTo(0.25));

        // Differences 1, 1, 1, 1: |sum| >= 4 for 2 of 16.
        Assert.That(SignificanceTests.RandomizationTest([0, 0, 0, 0], [1, 1, 1, 1]), Is.EqualTo(0.125));

        // Differences 1, -1: sums 0, 2, -2, 0; observed |0| → every assignment is as extreme.
        Assert.That(SignificanceTests.RandomizationTest([0, 1], [1, 0]), Is.EqualTo(1));
    }

    [Test]
    public void The_sampled_randomisation_test_is_close_to_the_exact_value_and_identical_for_a_seed()
    {
        double[] a = new double[20];
        double[] b = [.. Enumerable.Range(0, 20).Select(i => i % 3 == 0 ? -0.5 : 0.4)];

        // Exact value by enumeration of all 2^20 assignments (samples large enough).
        double exact = SignificanceTests.RandomizationTest(a, b, samples: 1 << 20);
        double sampled = SignificanceTests.RandomizationTest(a, b, samples: 20_000, seed: 7);

        Assert.That(sampled, Is.EqualTo(exact).Within(0.01));
        Assert.That(SignificanceTests.RandomizationTest(a, b, samples: 20_000, seed: 7), Is.EqualTo(sampled));
        Assert.That(SignificanceTests.RandomizationTest(a, a, samples: 100), Is.EqualTo(1), "no difference at all");
    }

    [Test]
    public void The_t_test_matches_the_closed_forms_of_one_and_two_degrees_of_freedom()
    {
        // df = 1 is the Cauchy distribution: p = 1 − (2/π) atan|t|. d = (1, 3): mean 2, sd √2, se 1, t = 2.
        PairedTTestResult one = SignificanceTests.PairedTTest([0, 0], [1, 3]);
        Assert.That(one.Statistic, Is.EqualTo(2).Within(1e-12));
        Assert.That(one.PValue, Is.EqualTo(1 - (2 / Math.PI * Math.Atan(2))).Within(1e-12));

        // df = 2: p = 1 − |t| / √(2 + t²). d = (1, 2, 3): mean 2, sd 1, se 1/√3, t = 2√3.
        PairedTTestResult two = SignificanceTests.PairedTTest([0, 0, 0], [1, 2, 3]);
        double t = 2 * Math.Sqrt(3);
        Assert.That(two.Statistic, Is.EqualTo(t).Within(1e-12));
        Assert.That(two.PValue, Is.EqualTo(1 - (t / Math.Sqrt(2 + (t * t)))).Within(1e-12));
    }

    [TestCase(2.228138851986, 10, 0.05)]
    [TestCase(1.959963984540, 1e7, 0.05)]
    [TestCase(2.575829303549, 1e7, 0.01)]
    [TestCase(12.70620473617, 1, 0.05)]
    [TestCase(0, 5, 1)]
    public void Student_t_tail_matches_tabulated_critical_values(double t, double df, double p)
    {
        Assert.That(SignificanceTests.StudentTTwoSided(t, df), Is.EqualTo(p).Within(1e-6));
        Assert.That(SignificanceTests.StudentTTwoSided(-t, df), Is.EqualTo(p).Within(1e-6));
    }

    [Test]
    public void The_t_test_handles_constant_and_tiny_samples()
    {
        Assert.That(SignificanceTests.PairedTTest([1, 2], [1, 2]), Is.EqualTo(new PairedTTestResult(0, 1, 1)));
        Assert.That(SignificanceTests.PairedTTest([1, 2], [2, 3]).PValue, Is.Zero);
        Assert.That(SignificanceTests.PairedTTest([1], [2]).PValue, Is.NaN);
        Assert.That(() => SignificanceTests.PairedTTest([1], [2, 3]), Throws.ArgumentException);
    }

    [Test]
    public void Holm_bonferroni_matches_a_hand_computed_example()
    {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → monotone 0.06.
        Assert.That(SignificanceTests.HolmBonferroni([0.01, 0.04, 0.03, 0.005]), Is.EqualTo(new[] { 0.03, 0.06, 0.06, 0.02 }).Within(1e-12));
        Assert.That(SignificanceTests.HolmBonferroni([0.5, 0.9]), Is.EqualTo(new[] { 1.0, 1.0 }));
        Assert.That(SignificanceTests.HolmBonferroni([double.NaN, 0.01]), Is.EqualTo(new[] { 1.0, 0.02 }));
    }

    [Test]
    public void The_bootstrap_interval_contains_the_mean_is_degenerate_for_a_constant_and_repeats_for_a_seed()
    {
        double[] values = [.. Enumerable.Range(0, 50).Select(i => (i * 37 % 11) / 10.0)];
        ConfidenceInterval interval = SignificanceTests.BootstrapMean(values, 0.95, 2000, 3);
        Assert.That(interval.Lower, Is.LessThan(interval.Mean));
        Assert.That(interval.Upper, Is.GreaterThan(interval.Mean));
        Assert.That(interval.Mean, Is.EqualTo(values.Average()).Within(1e-12));
        Assert.That(SignificanceTests.BootstrapMean(values, 0.95, 2000, 3), Is.EqualTo(interval));

        // The standard error of the mean is sd/√n; a 95% interval spans about ±1.96 of it.
        double sd = Math.Sqrt(values.Sum(v => (v - values.Average()) * (v - values.Average())) / values.Length);
        Assert.That(interval.Upper - interval.Lower, Is.EqualTo(2 * 1.96 * sd / Math.Sqrt(values.Length)).Within(0.25 * 2 * 1.96 * sd / Math.Sqrt(values.Length)));

        Assert.That(SignificanceTests.BootstrapMean([0.5, 0.5, 0.5]), Is.EqualTo(new ConfidenceInterval(0.5, 0.5, 0.5, 0.95)));
        Assert.That(() => SignificanceTests.BootstrapMean(values, 1.0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
