using Rerank.Testing;

namespace Rerank.Tests.Middleware.LongDocuments;

/// <summary>The contract suite through the long-document layer with a 24-character window, so most of the suite's documents are chunked.</summary>
[TestFixture(LongDocumentPooling.Max)]
[TestFixture(LongDocumentPooling.Mean)]
[TestFixture(LongDocumentPooling.TopKMean)]
public sealed class LongDocumentContractTests(LongDocumentPooling pooling) : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker()).UseLongDocuments(o =>
        {
            o.WindowSize = 24;
            o.Overlap = 8;
            o.Pooling = pooling;
            o.TopK = 2;
        }).Build();
}
