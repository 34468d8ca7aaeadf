using Rerank.Onnx.Tests.Fakes;

namespace Rerank.Onnx.Tests.Runtime;

/// <summary>Cancellation stops a call before the next batch.</summary>
[TestFixture]
public sealed class CancellationTests
{
    [Test]
    public void Cancelling_during_tokenisation_runs_no_batch()
    {
        using var cts = new CancellationTokenSource();
        var tokenizer = new FakeWordTokenizer { OnEncodePair = n => { if (n == 70) cts.Cancel(); } };
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 8, tokenizer);

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => reranker.RerankAsync("q", ToyModels.MixedLengthDocuments(200).Select(d => new RerankDocument(d)), cancellationToken: cts.Token));

        Assert.That(reranker.SessionRunCount, Is.Zero);
        Assert.That(tokenizer.PairsEncoded, Is.LessThan(200), "tokenisation stops within 64 pairs of the cancellation");
    }

    [Test]
    public void Cancelling_between_batches_runs_no_further_batch()
    {
        using var cts = new CancellationTokenSource();
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 2);
        reranker.AfterBatch = batch => { if (batch == 2) cts.Cancel(); };
        string[] documents = Enumerable.Range(0, 20).Select(i => $"document number {i}").ToArray();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => reranker.RerankAsync("q", documents.Select(d => new RerankDocument(d)), cancellationToken: cts.Token));

        Assert.That(reranker.SessionRunCount, Is.EqualTo(2), "the call stops before the third of ten batches");
    }

    [Test]
    public async Task The_reranker_works_after_a_cancelled_call()
    {
        using var cts = new CancellationTokenSource();
        var tokenizer = new FakeWordTokenizer { OnEncodePair = n => { if (n == 10) cts.Cancel(); } };
        using OnnxCrossEncoderReranker reranker = ToyModels.Create(ToyModels.Bert, o => o.BatchSize = 8, tokenizer);
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => reranker.RerankAsync("q", ToyModels.MixedLengthDocuments(20).Select(d => new RerankDocument(d)), cancellationToken: cts.Token));

        RerankResponse response = await reranker.RerankAsync("q", ToyModels.MixedLengthDocuments(20).Select(d => new RerankDocument(d)));

        Assert.That(response.Results, Has.Count.EqualTo(20));
    }
}
