using Rerank.Testing;

namespace Rerank.Tests.Contract;

/// <summary>
/// The contract suite against the provider that docs/contract.md tells authors to write, copied here line for line (only
/// <c>ScoreAsync</c>, "your model or API", is filled in), so that the documented sample is known to keep the contract.
/// </summary>
[TestFixture]
public sealed class DocumentedProviderContractTests : RerankerContractTests
{
    private MyReranker? _reranker;

    protected override long BackendCallCount => _reranker!.CallsToTheModel;

    protected override IReranker CreateReranker() => _reranker = new MyReranker();

    [Test]
    public void The_documented_sample_checks_disposal_and_a_null_service_type()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "contract.md"));
        string sample = doc[doc.IndexOf("public sealed class MyReranker", StringComparison.Ordinal)..];
        sample = sample[..sample.IndexOf("```", StringComparison.Ordinal)];

        Assert.That(sample, Does.Contain("ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);"));
        Assert.That(sample, Does.Contain("ArgumentNullException.ThrowIfNull(serviceType);"));
        Assert.That(sample, Does.Contain("public void Dispose() => Interlocked.Exchange(ref _disposed, 1);"));
        Assert.That(sample, Does.Contain("ScoreSemantics = RerankScoreSemantics.Pointwise,"));
        Assert.That(sample, Does.Contain(": serviceType == typeof(RerankerMetadata) ? Metadata"));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Rerank.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Rerank.sln not found above the test directory.");
    }

    private sealed class MyReranker : IReranker
    {
        // Pointwise: a score depends on the query and that document alone. The fingerprint names every setting that
        // changes scores (model, version, scale; never a secret), so that a score cache keeps other configurations apart.
        private static readonly RerankerMetadata Metadata = new("my-provider", null, "my-model-v1")
        {
            ScoreSemantics = RerankScoreSemantics.Pointwise,
            ScoringFingerprint = "my-provider|my-model-v1",
        };

        private int _disposed;
        private long _callsToTheModel;

        public long CallsToTheModel => Interlocked.Read(ref _callsToTheModel);

        public async Task<RerankResponse> RerankAsync(string query, IEnumerable<RerankDocument> documents,
            RerankOptions? options = null, CancellationToken cancellationToken = default)
        {
            // The order matters: arguments, then disposal, then the empty-input shortcut, then cancellation.
            IReadOnlyList<RerankDocument> list = RerankContract.ValidateArguments(query, documents, options);
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (list.Count == 0) return new RerankResponse([]);
            cancellationToken.ThrowIfCancellationRequested();

            double[] scores = await ScoreAsync(query, list, cancellationToken);   // your model or API
            return new RerankResponse(RerankContract.Rank(list, scores, options));
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
        {
            ArgumentNullException.ThrowIfNull(serviceType);
            return serviceKey is not null ? null
                : serviceType == typeof(RerankerMetadata) ? Metadata
                : serviceType.IsInstanceOfType(this) ? this
                : null;
        }

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        private async Task<double[]> ScoreAsync(string query, IReadOnlyList<RerankDocument> list, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _callsToTheModel);
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return [.. list.Select(d => TestReranker.Score(query, d.Text))];
        }
    }
}
