namespace Rerank.Onnx.Tests.Goldens;

/// <summary>
/// <see cref="OnnxCrossEncoderReranker.CountTokens"/> counts as the model's tokenizer does: for every untruncated golden
/// pair, the query's count plus the document's count plus the special tokens is the length of the reference ids.
/// </summary>
[TestFixture]
public sealed class CountTokensTests
{
    [TestCaseSource(typeof(GoldenFile), nameof(GoldenFile.Models))]
    public void Counts_add_up_to_the_reference_pair_length(string model)
    {
        GoldenFile golden = GoldenFile.Load(model);
        using var reranker = new OnnxCrossEncoderReranker(GoldenFile.ModelDirectory(model));
        GoldenPair[] untruncated = [.. golden.Pairs.Where(p => p.QueryTokensDropped == 0 && p.DocumentTokensDropped == 0)];
        Assert.That(untruncated, Is.Not.Empty, $"the golden file of {model} must hold untruncated pairs, or this test checks nothing");

        foreach (GoldenPair pair in untruncated)
        {
            int counted = reranker.CountTokens(pair.Query) + reranker.CountTokens(pair.Document) + reranker.SpecialTokensInPair;
            Assert.That(counted, Is.EqualTo(pair.InputIds.Length), $"{model} {pair.Name}");
        }
    }

    [Test]
    public void Null_text_and_a_disposed_reranker_are_refused()
    {
        var reranker = new OnnxCrossEncoderReranker(GoldenFile.ModelDirectory(GoldenFile.Models[0]));
        Assert.Throws<ArgumentNullException>(() => reranker.CountTokens(null!));
        Assert.That(reranker.CountTokens(string.Empty), Is.Zero);

        reranker.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reranker.CountTokens("text"));
    }
}
