using Rerank.Testing;

namespace Rerank.Onnx.Tests.Embeddings;

/// <summary>
/// The contract suite against <see cref="EmbeddingReranker"/> over the real ONNX embedding generator (tiny BERT fixture)
/// inside each middleware of the Rerank package; its backend is the generator's ONNX session.
/// </summary>
[TestFixtureSource(typeof(MiddlewareLayers), nameof(MiddlewareLayers.Names))]
public sealed class EmbeddingInsideMiddlewareContractTests(string layer) : RerankerContractTests
{
    // One generator for the fixture (it is the caller's, never disposed by a reranker); each test gets a new reranker,
    // so a new document cache, and counts the model runs from its own start.
    private OnnxEmbeddingGenerator _generator = null!;
    private long _runsBefore;

    protected override long BackendCallCount => _generator.SessionRunCount - _runsBefore;

    protected override double ScoreTolerance => 1e-5;

    [OneTimeSetUp]
    public void OpenGenerator() =>
        _generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions(EmbeddingGoldenFile.ModelDirectory(EmbeddingGoldenFile.Bert)) { BatchSize = 4, IntraOpNumThreads = 1 });

    [OneTimeTearDown]
    public void CloseGenerator() => _generator.Dispose();

    protected override IReranker CreateReranker()
    {
        _runsBefore = _generator.SessionRunCount;
        return MiddlewareLayers.Wrap(layer, new EmbeddingReranker(_generator));
    }
}
