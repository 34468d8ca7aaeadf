using Rerank.Onnx.Tests.Fakes;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>Batch size, padding and input order never change a score.</summary>
[TestFixture]
public sealed class BatchingTests
{
    private const string Query = "how do green plants make energy from the sun";

    [Test]
    public async Task Batch_sizes_1_7_and_32_give_the_same_scores()
    {
        string[] documents = ToyModels.MixedLengthDocuments(45);
        var scores = new Dictionary<int, double[]>();
        foreach (int batchSize in new[] { 1, 7, 32 })
        {
            using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = batchSize);
            scores[batchSize] = await ToyModels.ScoresAsync(reranker, Query, documents);
            Assert.That(reranker.SessionRunCount, Is.InRange((documents.Length + batchSize - 1) / batchSize, documents.Length), "one session run per planned batch");
        }

        Assert.That(scores[7], Is.EqualTo(scores[1]).Within(1e-5));
        Assert.That(scores[32], Is.EqualTo(scores[1]).Within(1e-5));
        Assert.That(scores[1].Distinct().Count(), Is.GreaterThan(30), "the documents must score differently, or the comparison proves nothing");
    }

    [Test]
    public async Task Shuffled_input_gives_each_document_the_same_score()
    {
        string[] documents = ToyModels.MixedLengthDocuments(40, seed: 11);
        int[] permutation = Enumerable.Range(0, documents.Length).OrderBy(i => (i * 7919) % 41).ToArray();
        string[] shuffled = permutation.Select(i => documents[i]).ToArray();
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 8);

        double[] inOrder = await ToyModels.ScoresAsync(reranker, Query, documents);
        double[] outOfOrder = await ToyModels.ScoresAsync(reranker, Query, shuffled);

        for (int i = 0; i < shuffled.Length; i++)
        {
            Assert.That(outOfOrder[i], Is.EqualTo(inOrder[permutation[i]]).Within(1e-5), $"document {permutation[i]} moved to {i}");
        }
    }

    [Test]
    public async Task A_short_pair_scores_the_same_alone_and_padded_beside_a_longer_one()
    {
        // Two tokens apart: cheaper to pad than to run twice, so the planner puts them in one batch.
        string shortDocument = "sun light water";
        string longDocument = "energy light water leaf root";
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert);

        double[] alone = await ToyModels.ScoresAsync(reranker, Query, [shortDocument]);
        double[] padded = await ToyModels.ScoresAsync(reranker, Query, [longDocument, shortDocument]);

        Assert.That(padded[1], Is.EqualTo(alone[0]).Within(1e-6));
        Assert.That(reranker.SessionRunCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Graph_without_token_type_ids_is_fed_two_inputs()
    {
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.XlmrTwoLabels, o => o.BatchSize = 3);
        var session = reranker.GetService<Microsoft.ML.OnnxRuntime.InferenceSession>()!;
        Assert.That(session.InputMetadata.Keys, Is.EquivalentTo(new[] { "input_ids", "attention_mask" }));

        string[] documents = ToyModels.MixedLengthDocuments(10, seed: 3);
        double[] batched = await ToyModels.ScoresAsync(reranker, Query, documents);
        using OnnxCrossEncoderReranker single = ToyModels.Create(ToyModels.XlmrTwoLabels, o => o.BatchSize = 1);
        double[] oneByOne = await ToyModels.ScoresAsync(single, Query, documents);

        Assert.That(batched, Is.EqualTo(oneByOne).Within(1e-6));
        Assert.That(batched, Is.All.InRange(0.0, 1.0));
    }

    [Test]
    public async Task Int32_inputs_are_fed_as_int32()
    {
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Int32Identity, o => o.BatchSize = 4);
        string[] documents = ToyModels.MixedLengthDocuments(9, seed: 5);

        double[] scores = await ToyModels.ScoresAsync(reranker, Query, documents);

        Assert.That(scores.Distinct().Count(), Is.EqualTo(documents.Distinct().Count()));
        Assert.That(reranker.SessionRunCount, Is.EqualTo(3));
    }

    [Test]
    public void Pairs_are_sorted_longest_first_with_ties_in_input_order()
    {
        var tokenizer = new FakeWordTokenizer();
        string[] documents = ["a b", "a b c d", "", "a b c d", "a"];
        var encodings = documents.Select(d => tokenizer.EncodePair("q", d, 100)).ToArray();
        var order = new int[documents.Length];

        OnnxCrossEncoderReranker.SortByLength(encodings, order);

        Assert.That(order, Is.EqualTo(new[] { 1, 3, 0, 4, 2 }));
    }

    [Test]
    public async Task Usage_counts_the_tokens_of_every_pair_and_the_padding_of_every_batch()
    {
        var tokenizer = new FakeWordTokenizer();
        string[] documents = ["one", "one two three", "one two", "one two three four"];
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 2, tokenizer);

        RerankResponse response = await reranker.RerankAsync("query words", documents.Select(d => new RerankDocument(d)));

        int[] lengths = documents.Select(d => tokenizer.EncodePair("query words", d, 48).Length).ToArray();
        Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(lengths.Sum()));
        Assert.That(response.Usage.AdditionalCounts!["batches"], Is.EqualTo(2));

        // Longest first, at most 2 per batch, and nearly equal lengths: {4 words, 3 words} and {2 words, 1 word}, each padded to its first.
        int[] sorted = lengths.OrderByDescending(l => l).ToArray();
        Assert.That(response.Usage.AdditionalCounts["padded_tokens"], Is.EqualTo((2 * sorted[0]) + (2 * sorted[2])));
    }
}
