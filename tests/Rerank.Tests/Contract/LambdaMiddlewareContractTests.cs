using Rerank.Testing;

namespace Rerank.Tests.Contract;

/// <summary>The contract suite against a pipeline of pass-through layers: a lambda layer over a delegating layer.</summary>
[TestFixture]
public sealed class LambdaMiddlewareContractTests : RerankerContractTests
{
    private TestReranker? _inner;

    protected override long BackendCallCount => _inner!.BackendCalls;

    protected override IReranker CreateReranker() =>
        new RerankerBuilder(_inner = new TestReranker())
            .Use((query, documents, options, next, cancellationToken) => next.RerankAsync(query, documents, options, cancellationToken))
            .Use(inner => new PassThroughReranker(inner))
            .Build();

    private sealed class PassThroughReranker(IReranker inner) : DelegatingReranker(inner);
}
