namespace Rerank.Onnx.Tests.Goldens;

/// <summary>
/// The runtime on the real-architecture fixtures (tiny BERT, tiny XLM-R), fed the golden ids: every score within 1e-4
/// of the reference (onnxruntime-node, one pair per run), whatever the batch size and order.
/// </summary>
[TestFixture]
public sealed class GoldenReplayTests
{
    [TestCaseSource(typeof(GoldenFile), nameof(GoldenFile.Models))]
    public async Task Every_golden_pair_scores_as_the_reference_in_length_sorted_padded_batches(string model)
    {
        GoldenFile golden = GoldenFile.Load(model);
        Assert.That(golden.Pairs, Has.Count.GreaterThanOrEqualTo(200));

        foreach (int batchSize in new[] { 1, 7, 32 })
        {
            Dictionary<string, double> scores = await ScoreAllAsync(golden, model, batchSize, shuffle: batchSize == 7);
            foreach (GoldenPair pair in golden.Pairs)
            {
                Assert.That(scores[pair.Name], Is.EqualTo(pair.Score).Within(1e-4), $"{model} {pair.Name} at batch size {batchSize}");
            }
        }
    }

    [TestCaseSource(typeof(GoldenFile), nameof(GoldenFile.Models))]
    public async Task The_activation_matches_what_sentence_transformers_applies(string model)
    {
        GoldenFile golden = GoldenFile.Load(model);
        using var reranker = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(GoldenFile.ModelDirectory(model)), _ => new ReplayTokenizer(golden.Pairs, model.Contains("xlmr", StringComparison.Ordinal)));

        Assert.That(reranker.Activation.ToString(), Is.EqualTo(golden.Activation).IgnoreCase);
        Assert.That(reranker.MaxLength, Is.EqualTo(512), model.Contains("xlmr", StringComparison.Ordinal) ? "514 positions less padding_idx + 1" : "model_max_length and positions are 512");
        Assert.That(reranker.GetService<Microsoft.ML.OnnxRuntime.InferenceSession>()!.InputMetadata.ContainsKey("token_type_ids"), Is.EqualTo(!model.Contains("xlmr", StringComparison.Ordinal)));
    }

    private static async Task<Dictionary<string, double>> ScoreAllAsync(GoldenFile golden, string model, int batchSize, bool shuffle)
    {
        var scores = new Dictionary<string, double>();
        bool xlmr = model.Contains("xlmr", StringComparison.Ordinal);
        foreach (IGrouping<int, GoldenPair> group in golden.Pairs.GroupBy(p => p.MaxLength))
        {
            var options = new OnnxCrossEncoderOptions(GoldenFile.ModelDirectory(model)) { BatchSize = batchSize, MaxLength = group.Key, IntraOpNumThreads = 1 };
            using var reranker = new OnnxCrossEncoderReranker(options, _ => new ReplayTokenizer(golden.Pairs, xlmr));
            List<string> names = group.Select(p => p.Name).ToList();
            if (shuffle)
            {
                // A seeded shuffle: string.GetHashCode is randomised per process, so an order that broke a run could not be replayed.
                var random = new Random(group.Key * 31 + batchSize);
                names = names.OrderBy(_ => random.Next()).ToList();
            }

            RerankResponse response = await reranker.RerankAsync("replayed", names.Select(n => new RerankDocument(n)));
            foreach (RerankResult result in response.Results)
            {
                scores[result.Document.Text] = result.Score;
            }

            int truncated = group.Count(p => p.QueryTokensDropped + p.DocumentTokensDropped > 0);
            var reported = response.AdditionalProperties?[RerankResponseProperties.OnnxTruncations] as IReadOnlyList<CrossEncoderTruncation>;
            Assert.That(reported?.Count ?? 0, Is.EqualTo(truncated), $"max_length {group.Key}: every truncated pair is reported");
        }

        return scores;
    }
}
