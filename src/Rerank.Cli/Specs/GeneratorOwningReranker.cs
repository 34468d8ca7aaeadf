using Microsoft.Extensions.AI;

namespace Rerank.Cli;

/// <summary>
/// An <see cref="EmbeddingReranker"/> that also disposes the embedding generator the CLI created for it: the reranker
/// itself leaves generators to their owner (docs/ownership.md), and here the owner is the spec.
/// </summary>
internal sealed class GeneratorOwningReranker : DelegatingReranker
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;

    public GeneratorOwningReranker(IEmbeddingGenerator<string, Embedding<float>> generator)
        : base(new EmbeddingReranker(generator))
    {
        _generator = generator;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _generator.Dispose();
        }
    }
}
