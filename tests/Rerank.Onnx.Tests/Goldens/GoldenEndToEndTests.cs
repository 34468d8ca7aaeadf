namespace Rerank.Onnx.Tests.Goldens;

/// <summary>
/// The whole reranker (the real tokenizers, truncation, batching, the session and the activation) on the two fixture
/// models against every golden pair: the score within 1e-4 of the independent reference, and the truncation report
/// equal to the reference's dropped-token counts. The few golden pairs whose query is empty or white space are
/// tokeniser cases; the reranker contract rejects such a query, and that is checked instead.
/// </summary>
[TestFixture]
public sealed class GoldenEndToEndTests
{
    [TestCaseSource(typeof(GoldenFile), nameof(GoldenFile.Models))]
    public async Task Every_golden_pair_scores_as_the_reference_and_reports_its_truncation(string model)
    {
        GoldenFile golden = GoldenFile.Load(model);
        GoldenPair[] blankQueries = [.. golden.Pairs.Where(p => string.IsNullOrWhiteSpace(p.Query))];
        int checkedPairs = 0;
        foreach (IGrouping<int, GoldenPair> byLength in golden.Pairs.Except(blankQueries).GroupBy(p => p.MaxLength))
        {
            using var reranker = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(GoldenFile.ModelDirectory(model)) { MaxLength = byLength.Key, BatchSize = 8 });
            foreach (IGrouping<string, GoldenPair> byQuery in byLength.GroupBy(p => p.Query))
            {
                GoldenPair[] pairs = [.. byQuery];
                RerankResponse response = await reranker.RerankAsync(byQuery.Key, pairs.Select(p => new RerankDocument(p.Document)));

                var truncations = (response.AdditionalProperties?[RerankResponseProperties.OnnxTruncations] as IReadOnlyList<CrossEncoderTruncation>)?.ToDictionary(t => t.Index)
                    ?? [];
                foreach (RerankResult result in response.Results)
                {
                    GoldenPair pair = pairs[result.Index];
                    Assert.That(result.Score, Is.EqualTo(pair.Score).Within(1e-4), $"{model} {pair.Name}");
                    CrossEncoderTruncation expected = new(result.Index, pair.DocumentTokensDropped, pair.QueryTokensDropped);
                    if (expected.DocumentTokensDropped + expected.QueryTokensDropped > 0)
                    {
                        Assert.That(truncations.GetValueOrDefault(result.Index), Is.EqualTo(expected), $"{model} {pair.Name}: truncation report");
                    }
                    else
                    {
                        Assert.That(truncations.ContainsKey(result.Index), Is.False, $"{model} {pair.Name} was not truncated");
                    }

                    checkedPairs++;
                }

                long tokens = pairs.Sum(p => (long)p.InputIds.Length);
                Assert.That(response.Usage!.InputTokenCount, Is.EqualTo(tokens), $"{model}: usage counts the real tokens of every pair");
            }
        }

        Assert.That(checkedPairs, Is.EqualTo(golden.Pairs.Count - blankQueries.Length));
        Assert.That(blankQueries, Has.Length.LessThan(10));
        using var any = new OnnxCrossEncoderReranker(GoldenFile.ModelDirectory(model));
        foreach (GoldenPair pair in blankQueries)
        {
            Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => any.RerankAsync(pair.Query, [pair.Document]), pair.Name);
        }
    }

    [TestCaseSource(typeof(GoldenFile), nameof(GoldenFile.Models))]
    public async Task A_folder_loads_with_a_one_liner_and_batching_never_changes_a_score(string model)
    {
        GoldenFile golden = GoldenFile.Load(model);
        GoldenPair[] pairs = [.. golden.Pairs.Where(p => p.MaxLength == 512).GroupBy(p => p.Query).OrderByDescending(g => g.Count()).First()];
        string query = pairs[0].Query;
        string[] documents = pairs.Select(p => p.Document).ToArray();
        string[] shuffled = documents.Reverse().ToArray();

        using var reranker = new OnnxCrossEncoderReranker(GoldenFile.ModelDirectory(model));
        using var oneByOne = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(GoldenFile.ModelDirectory(model)) { BatchSize = 1 });
        using var sevens = new OnnxCrossEncoderReranker(new OnnxCrossEncoderOptions(GoldenFile.ModelDirectory(model)) { BatchSize = 7 });

        double[] batched = await Runtime.ToyModels.ScoresAsync(reranker, query, documents);
        double[] single = await Runtime.ToyModels.ScoresAsync(oneByOne, query, documents);
        double[] reversed = (await Runtime.ToyModels.ScoresAsync(sevens, query, shuffled)).Reverse().ToArray();

        Assert.That(pairs, Has.Length.GreaterThan(10));
        Assert.That(batched, Is.EqualTo(single).Within(1e-5));
        Assert.That(reversed, Is.EqualTo(single).Within(1e-5));
        Assert.That(oneByOne.SessionRunCount, Is.EqualTo(documents.Length));
        Assert.That(reranker.SessionRunCount, Is.InRange((documents.Length + 31) / 32, documents.Length));
    }
}
