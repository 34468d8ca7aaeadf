using Rerank.Onnx.Inference;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>The batch plan: contiguous, at most the batch size, full batches for equal lengths, outliers apart, never more padded work than fixed chunks.</summary>
[TestFixture]
public sealed class BatchPlannerTests
{
    [Test]
    public void Equal_lengths_take_the_fewest_batches()
    {
        int[] lengths = Enumerable.Repeat(100, 70).ToArray();

        int[][] batches = Plan(lengths, 32, 384);

        Assert.That(batches, Has.Length.EqualTo(3));
        Assert.That(batches.Select(b => b.Length), Is.All.LessThanOrEqualTo(32));
    }

    [Test]
    public void A_long_outlier_is_not_padded_against_short_pairs()
    {
        int[] lengths = [512, .. Enumerable.Repeat(60, 31)];

        int[][] batches = Plan(lengths, 32, 384);

        Assert.That(batches[0], Is.EqualTo(new[] { 0 }), "the 512-token pair runs alone rather than padding 31 others to 512");
        Assert.That(batches[1..].SelectMany(b => b), Is.EqualTo(Enumerable.Range(1, 31)));
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(32)]
    public void Batches_are_contiguous_bounded_and_never_costlier_than_fixed_chunks(int maxBatchSize)
    {
        var random = new Random(maxBatchSize);
        int[] lengths = Enumerable.Range(0, 200).Select(_ => random.Next(3, 513)).OrderDescending().ToArray();

        int[][] batches = Plan(lengths, maxBatchSize, 384);

        Assert.That(batches.SelectMany(b => b), Is.EqualTo(Enumerable.Range(0, lengths.Length)));
        Assert.That(batches.Select(b => b.Length), Is.All.InRange(1, maxBatchSize));
        double planned = batches.Sum(b => Cost(lengths, b[0], b.Length));
        double chunked = lengths.Chunk(maxBatchSize).Select((c, i) => Cost(lengths, i * maxBatchSize, c.Length)).Sum();
        Assert.That(planned, Is.LessThanOrEqualTo(chunked));
    }

    [Test]
    public void No_pairs_no_batches()
    {
        Assert.That(BatchPlanner.Plan([], 32, 384, new int[1]), Is.Zero);
    }

    private static double Cost(int[] lengths, int start, int rows) =>
        (rows * lengths[start] * (1 + (lengths[start] / (6.0 * 384)))) + BatchPlanner.RunOverheadTokens;

    private static int[][] Plan(int[] lengths, int maxBatchSize, int hidden)
    {
        var starts = new int[lengths.Length + 1];
        int count = BatchPlanner.Plan(lengths, maxBatchSize, hidden, starts);
        return Enumerable.Range(0, count).Select(b => Enumerable.Range(starts[b], starts[b + 1] - starts[b]).ToArray()).ToArray();
    }
}
